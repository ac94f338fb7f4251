package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;

class PriceTableTests extends IntegrationTest {

    /** How long a change made in SQL may take to reach the cache: far more than it needs. */
    private static final Duration PROPAGATION_DEADLINE = Duration.ofSeconds(10);

    @Autowired
    PriceTable prices;

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static long input(ModelPrice price) {
        return price.rates().inputMicrosPerMillion();
    }

    private static long output(ModelPrice price) {
        return price.rates().outputMicrosPerMillion();
    }

    private static PriceChange change(String model, long input, long output, Instant effectiveFrom) {
        return new PriceChange("acme", model, new Rates(input, output, input / 2, input, input), effectiveFrom);
    }

    private ModelPrice applied(PriceChange change) {
        var update = prices.set(change);
        assertThat(update).isInstanceOf(PriceUpdate.Applied.class);
        return ((PriceUpdate.Applied) update).price();
    }

    @Test
    void seeded_list_prices_are_in_effect() {
        var gpt4o = prices.priceAt("openai", "gpt-4o", now()).orElseThrow();
        assertThat(gpt4o.rates().inputMicrosPerMillion()).isEqualTo(2_500_000);
        assertThat(gpt4o.rates().outputMicrosPerMillion()).isEqualTo(10_000_000);
        assertThat(gpt4o.rates().cachedInputMicrosPerMillion()).isEqualTo(1_250_000);
        assertThat(gpt4o.rates().cacheWriteMicrosPerMillion()).as("no cache-write price stored: input's")
                .isEqualTo(2_500_000);
        assertThat(gpt4o.rates().cacheWrite1hMicrosPerMillion()).as("no one-hour price stored: the write's")
                .isEqualTo(2_500_000);
        assertThat(gpt4o.effectiveFrom()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));

        var sonnet = prices.priceAt("anthropic", "claude-sonnet-4", now()).orElseThrow();
        assertThat(sonnet.rates().inputMicrosPerMillion()).isEqualTo(3_000_000);
        assertThat(sonnet.rates().outputMicrosPerMillion()).isEqualTo(15_000_000);
        assertThat(sonnet.rates().cacheWriteMicrosPerMillion()).isEqualTo(3_750_000);
        assertThat(sonnet.rates().cacheWrite1hMicrosPerMillion()).isEqualTo(6_000_000);
        assertThat(prices.priceAt("google", "gemini-2.5-pro", now())).isPresent();
        assertThat(prices.priceAt("openai", "gpt-4o", Instant.parse("2024-12-31T23:59:59Z"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "openai, gpt-4o-2024-08-06, gpt-4o",
        "openai, gpt-4o-mini-2024-07-18, gpt-4o-mini",
        "openai, gpt-4.1-nano-2025-04-14, gpt-4.1-nano",
        "openai, gpt-5-mini, gpt-5-mini",
        "OpenAI, GPT-4o, gpt-4o",
        "anthropic, claude-3-5-sonnet-20241022, claude-3-5-sonnet",
        "anthropic, claude-3-5-sonnet-latest, claude-3-5-sonnet",
        "anthropic, claude-sonnet-4-5-20250929, claude-sonnet-4-5",
        "anthropic, claude-sonnet-4-20250514, claude-sonnet-4",
        "anthropic, claude-opus-4-1-20250805, claude-opus-4-1",
        "anthropic, claude-haiku-4-5, claude-haiku-4-5",
        "google, gemini-2.5-flash-preview-05-20, gemini-2.5-flash",
        "google, gemini-2.5-flash-lite, gemini-2.5-flash-lite",
    })
    void dated_and_suffixed_model_ids_resolve_to_the_longest_catalog_model(
            String provider, String requested, String catalogModel) {
        var price = prices.priceAt(provider, requested, now());
        assertThat(price).map(ModelPrice::model).contains(catalogModel);
    }

    @ParameterizedTest
    @CsvSource({"openai, gpt-4oo", "openai, gpt-4o2", "openai, gpt", "nobody, gpt-4o", "anthropic, gpt-4o",
            "openai, ''", "openai, -gpt-4o", "openai, gpt-4o/2024"})
    void names_that_are_not_a_catalog_model_or_its_dashed_extension_have_no_price(String provider, String model) {
        assertThat(prices.priceAt(provider, model, now())).isEmpty();
    }

    @Test
    void a_future_price_is_not_used_before_its_time_and_the_older_price_is_kept() {
        String model = unique("m");
        Instant start = now().minus(Duration.ofDays(1));
        Instant tomorrow = now().plus(Duration.ofDays(1));
        applied(change(model, 1_000_000, 2_000_000, start));
        applied(change(model, 3_000_000, 4_000_000, tomorrow));

        assertThat(prices.priceAt("acme", model, start.minusNanos(1000))).isEmpty();
        assertThat(prices.priceAt("acme", model, now())).map(PriceTableTests::input).contains(1_000_000L);
        assertThat(prices.priceAt("acme", model, tomorrow.minusNanos(1000)))
                .map(PriceTableTests::input).contains(1_000_000L);
        assertThat(prices.priceAt("acme", model, tomorrow)).map(PriceTableTests::input).contains(3_000_000L);
        assertThat(prices.currentPrices()).filteredOn(price -> price.model().equals(model))
                .extracting(PriceTableTests::input).containsExactly(1_000_000L);

        var history = prices.history("acme", model);
        assertThat(history).extracting(ModelPrice::effectiveFrom).containsExactly(tomorrow, start);
        assertThat(history.get(0).effectiveTo()).isNull();
        assertThat(history.get(1).effectiveTo()).isEqualTo(tomorrow);
        assertThat(history.get(1).rates().inputMicrosPerMillion()).isEqualTo(1_000_000);
    }

    @Test
    void a_new_price_must_start_after_the_latest_one() {
        String model = unique("m");
        Instant tomorrow = now().plus(Duration.ofDays(1));
        applied(change(model, 1_000_000, 2_000_000, tomorrow));

        var sameStart = prices.set(change(model, 5_000_000, 6_000_000, tomorrow));
        var noCacheDiscount = new Rates(5_000_000, 6_000_000, 0, 5_000_000, 5_000_000);
        var startingNow = prices.set(new PriceChange("acme", model, noCacheDiscount, null));

        assertThat(List.of(sameStart, startingNow)).allSatisfy(update -> assertThat(update)
                .isInstanceOfSatisfying(PriceUpdate.Rejected.class,
                        rejected -> assertThat(rejected.problem()).isEqualTo(PricingProblem.PRICE_OUT_OF_ORDER)));
        assertThat(prices.history("acme", model)).hasSize(1)
                .first().extracting(PriceTableTests::input).isEqualTo(1_000_000L);
    }

    @Test
    void setting_the_same_price_again_writes_nothing() {
        String model = unique("m");
        var rates = new Rates(1_000_000, 2_000_000, 500_000, 1_000_000, 1_000_000);
        var first = applied(new PriceChange("acme", model, rates, null));
        var again = prices.set(new PriceChange("ACME", model.toUpperCase(), rates, null));

        assertThat(again).isEqualTo(new PriceUpdate.Applied(first, false));
        assertThat(prices.history("acme", model)).containsExactly(first);
    }

    @Test
    void a_model_with_its_own_entry_does_not_borrow_a_shorter_models_price() {
        String family = unique("m");
        applied(change(family, 1_000_000, 1_000_000, now().minus(Duration.ofDays(1))));
        applied(change(family + "-large", 9_000_000, 9_000_000, now().plus(Duration.ofDays(1))));

        assertThat(prices.priceAt("acme", family + "-small-2025", now())).map(ModelPrice::model).contains(family);
        assertThat(prices.priceAt("acme", family + "-large-2025", now())).isEmpty();
        assertThat(prices.priceAt("acme", family + "-large-2025", now().plus(Duration.ofDays(2))))
                .map(ModelPrice::model).contains(family + "-large");
    }

    @Test
    void concurrent_changes_of_one_model_leave_a_gapless_history_without_overlaps() throws Exception {
        String model = unique("m");
        Instant base = now();
        List<Callable<PriceUpdate>> writers = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            Instant from = base.plusSeconds(i);
            long input = i * 100_000L;
            writers.add(() -> prices.set(change(model, input, input, from)));
        }
        int appliedCount = 0;
        try (var executor = Executors.newFixedThreadPool(12)) {
            for (var result : executor.invokeAll(writers)) {
                switch (result.get()) {
                    case PriceUpdate.Applied applied -> appliedCount++;
                    case PriceUpdate.Rejected rejected ->
                            assertThat(rejected.problem()).isEqualTo(PricingProblem.PRICE_OUT_OF_ORDER);
                }
            }
        }
        var history = prices.history("acme", model);
        assertThat(history).hasSize(appliedCount).isNotEmpty();
        assertThat(history.get(0).effectiveTo()).isNull();
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).effectiveTo()).isEqualTo(history.get(i - 1).effectiveFrom());
        }
    }

    @Test
    void the_database_refuses_overlapping_prices_written_by_hand() {
        String model = unique("m");
        applied(change(model, 1_000_000, 2_000_000, now()));

        assertThatThrownBy(() -> sql.sql("""
                        INSERT INTO model_price (provider, model, input_micros_per_million, output_micros_per_million,
                                                 cached_input_micros_per_million, effective_from)
                        VALUES ('acme', :model, 1, 1, 1, :from)
                        """)
                .param("model", model)
                .param("from", java.sql.Timestamp.from(now().plus(Duration.ofDays(1))))
                .update())
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("overlaps");
        assertThat(prices.history("acme", model)).hasSize(1);
    }

    @Test
    void a_price_changed_in_sql_takes_effect_without_an_api_call() {
        String model = unique("m");
        applied(change(model, 1_000_000, 2_000_000, now().minus(Duration.ofHours(1))));
        assertThat(prices.priceAt("acme", model, now())).map(PriceTableTests::output).contains(2_000_000L);

        sql.sql("UPDATE model_price SET output_micros_per_million = 7000000 WHERE provider = 'acme' AND model = :model")
                .param("model", model)
                .update();

        eventually(() -> prices.priceAt("acme", model, now()).map(PriceTableTests::output),
                Optional.of(7_000_000L));
        var listed = admin.get("/v1/prices");
        assertThat(listed.json().path("data").valueStream()
                .filter(price -> price.path("model").asString().equals(model))
                .map(price -> price.path("output_per_1k_usd").asString())).containsExactly("0.007");
    }

    @Test
    void a_model_inserted_in_sql_becomes_priced_without_an_api_call() {
        String model = unique("m");
        assertThat(prices.priceAt("acme", model, now())).isEmpty();

        sql.sql("""
                        INSERT INTO model_price (provider, model, input_micros_per_million, output_micros_per_million,
                                                 cached_input_micros_per_million, effective_from)
                        VALUES ('acme', :model, 4000000, 8000000, 400000, now())
                        """)
                .param("model", model)
                .update();

        eventually(() -> prices.priceAt("acme", model, now()).map(PriceTableTests::input),
                Optional.of(4_000_000L));
    }

    /** Polls until {@code actual} equals {@code expected}, failing with the last value after the deadline. */
    private static <T> void eventually(Supplier<T> actual, T expected) {
        await().atMost(PROPAGATION_DEADLINE).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(actual.get()).isEqualTo(expected));
    }
}
