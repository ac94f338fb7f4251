package dev.tollgate.pricing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PricingStore {

    /** The channel the model_price trigger notifies on every change (see V3__pricing.sql). */
    static final String CHANGES_CHANNEL = "tollgate_prices";


    private final JdbcClient jdbc;

    PricingStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every price of every model: the catalog is small enough to hold in memory whole. */
    List<ModelPrice> all() {
        return jdbc.sql("""
                        SELECT provider, model, input_micros_per_million, output_micros_per_million,
                               cached_input_micros_per_million, cache_write_micros_per_million,
                               cache_write_1h_micros_per_million, effective_from, effective_to
                          FROM model_price
                         ORDER BY provider, model, effective_from DESC
                        """)
                .query(PricingStore::price)
                .list();
    }

    /** Every price of one model, newest first. */
    List<ModelPrice> history(String provider, String model) {
        return jdbc.sql("""
                        SELECT provider, model, input_micros_per_million, output_micros_per_million,
                               cached_input_micros_per_million, cache_write_micros_per_million,
                               cache_write_1h_micros_per_million, effective_from, effective_to
                          FROM model_price
                         WHERE provider = :provider AND model = :model
                         ORDER BY effective_from DESC
                        """)
                .param("provider", provider)
                .param("model", model)
                .query(PricingStore::price)
                .list();
    }

    /**
     * Holds, until the transaction ends, the lock that the model_price trigger also takes: writers of one
     * model's prices take turns, so reading the latest price and writing the next one cannot race.
     */
    void lockModel(String provider, String model) {
        jdbc.sql("SELECT model_price_lock(:provider, :model)")
                .param("provider", provider)
                .param("model", model)
                .query(rs -> {});
    }

    /** Ends the interval of {@code price} at {@code at}, unless it already ends earlier. */
    void close(ModelPrice price, Instant at) {
        jdbc.sql("""
                        UPDATE model_price
                           SET effective_to = :at
                         WHERE provider = :provider AND model = :model AND effective_from = :from
                           AND (effective_to IS NULL OR effective_to > :at)
                        """)
                .param("at", Timestamp.from(at))
                .param("provider", price.provider())
                .param("model", price.model())
                .param("from", Timestamp.from(price.effectiveFrom()))
                .update();
    }

    ModelPrice insert(PriceChange change, Instant effectiveFrom, Instant now) {
        return jdbc.sql("""
                        INSERT INTO model_price (provider, model, input_micros_per_million, output_micros_per_million,
                                                 cached_input_micros_per_million, cache_write_micros_per_million,
                                                 cache_write_1h_micros_per_million, effective_from, created_at)
                        VALUES (:provider, :model, :input, :output, :cachedInput, :cacheWrite, :cacheWrite1h, :from,
                                :now)
                        RETURNING provider, model, input_micros_per_million, output_micros_per_million,
                                  cached_input_micros_per_million, cache_write_micros_per_million,
                                  cache_write_1h_micros_per_million, effective_from, effective_to
                        """)
                .param("provider", change.provider())
                .param("model", change.model())
                .param("input", change.rates().inputMicrosPerMillion())
                .param("output", change.rates().outputMicrosPerMillion())
                .param("cachedInput", change.rates().cachedInputMicrosPerMillion())
                .param("cacheWrite", change.rates().cacheWriteMicrosPerMillion())
                .param("cacheWrite1h", change.rates().cacheWrite1hMicrosPerMillion())
                .param("from", Timestamp.from(effectiveFrom))
                .param("now", Timestamp.from(now))
                .query(PricingStore::price)
                .single();
    }

    private static ModelPrice price(ResultSet rs, int row) throws SQLException {
        Timestamp to = rs.getTimestamp("effective_to");
        long input = rs.getLong("input_micros_per_million");
        // A price set before cache writes were priced apart (V43, V45) has none: a write costs input, and a
        // one-hour write costs a write.
        long cacheWrite = orElse(rs.getObject("cache_write_micros_per_million", Long.class), input);
        long cacheWrite1h = orElse(rs.getObject("cache_write_1h_micros_per_million", Long.class), cacheWrite);
        var rates = new Rates(input, rs.getLong("output_micros_per_million"),
                rs.getLong("cached_input_micros_per_million"), cacheWrite, cacheWrite1h);
        return new ModelPrice(rs.getString("provider"), rs.getString("model"), rates,
                rs.getTimestamp("effective_from").toInstant(), to == null ? null : to.toInstant());
    }

    private static long orElse(@Nullable Long price, long otherwise) {
        return price == null ? otherwise : price;
    }
}
