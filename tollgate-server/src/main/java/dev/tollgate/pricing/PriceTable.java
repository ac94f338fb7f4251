package dev.tollgate.pricing;

import dev.tollgate.platform.DatabaseNotifications;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The model price catalog. Reads are served from an in-memory copy that every node reloads when the
 * model_price table changes, whether through this API or by hand in SQL (a trigger notifies the
 * {@code tollgate_prices} channel). Writes keep history: a new price closes the latest one where it
 * starts, and no older price is ever changed.
 */
@Service
public class PriceTable {

    private final PricingStore store;
    private final Clock clock;
    private final TransactionTemplate transactions;
    /** A lock, not synchronized: loading does JDBC I/O, which would pin a virtual thread's carrier on Java 21. */
    private final ReentrantLock loading = new ReentrantLock();
    /** Bumped on every change notice; a cached catalog loaded at an older count is stale. */
    private final AtomicLong changes = new AtomicLong();

    private volatile @Nullable Loaded loaded;

    private record Loaded(long changes, PriceCatalog catalog) {}

    PriceTable(PricingStore store, Clock clock, TransactionTemplate transactions, DatabaseNotifications notifications) {
        this.store = store;
        this.clock = clock;
        this.transactions = transactions;
        notifications.subscribe(PricingStore.CHANGES_CHANNEL, payload -> invalidate());
    }

    /**
     * The price in effect at {@code at}. Provider and model are compared case-insensitively; a dated or
     * suffixed model id ("gpt-4o-2024-08-06", "claude-3-5-sonnet-20241022") resolves to the longest
     * catalog model that is a prefix of it followed by '-'. Empty when the model is unknown or has no
     * price at that time. Served from memory.
     */
    public Optional<ModelPrice> priceAt(String provider, String model, Instant at) {
        Objects.requireNonNull(at, "at");
        return catalog().priceAt(ModelNames.normalize(provider), ModelNames.normalize(model), at);
    }

    /** The price in effect now of every model that has one, ordered by provider and model. Served from memory. */
    public List<ModelPrice> currentPrices() {
        return catalog().pricesAt(clock.instant());
    }

    /**
     * Every price of exactly this catalog model (no prefix resolution), newest first, read from the
     * database; empty when the model has never had a price.
     */
    public List<ModelPrice> history(String provider, String model) {
        String normalizedProvider = ModelNames.normalize(provider);
        String normalizedModel = ModelNames.normalize(model);
        if (!ModelNames.isProvider(normalizedProvider) || !ModelNames.isModel(normalizedModel)) {
            return List.of();
        }
        return store.history(normalizedProvider, normalizedModel);
    }

    /**
     * Makes {@code change} the model's latest price, starting at its effective date or now. The latest
     * price so far is closed where the new one starts. A change that starts at or before the latest
     * price's start is rejected ({@link PricingProblem#PRICE_OUT_OF_ORDER}), because that would rewrite
     * history; a change identical to the open latest price writes nothing.
     */
    public PriceUpdate set(PriceChange change) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try {
            return Objects.requireNonNull(transactions.execute(status -> apply(change, now)));
        } finally {
            // This node sees its own change at once, without waiting for the notification.
            invalidate();
        }
    }

    private PriceUpdate apply(PriceChange change, Instant now) {
        store.lockModel(change.provider(), change.model());
        Instant from = change.effectiveFrom() != null ? change.effectiveFrom() : now;
        Optional<ModelPrice> latest = store.history(change.provider(), change.model()).stream().findFirst();
        if (latest.isPresent()) {
            ModelPrice last = latest.get();
            boolean repeated = change.rates().equals(last.rates()) && last.effectiveTo() == null
                    && (change.effectiveFrom() == null || last.effectiveFrom().equals(change.effectiveFrom()));
            if (repeated) {
                return new PriceUpdate.Applied(last, false);
            }
            if (!from.isAfter(last.effectiveFrom())) {
                return new PriceUpdate.Rejected(PricingProblem.PRICE_OUT_OF_ORDER,
                        "The latest price of " + last.provider() + "/" + last.model() + " starts at "
                                + last.effectiveFrom() + "; a new price must start after it, and " + from
                                + " does not.");
            }
            store.close(last, from);
        }
        return new PriceUpdate.Applied(store.insert(change, from, now), true);
    }

    /** Forgets the cached catalog; the next read loads it again. */
    void invalidate() {
        changes.incrementAndGet();
    }

    private PriceCatalog catalog() {
        Loaded current = loaded;
        if (current != null && current.changes() == changes.get()) {
            return current.catalog();
        }
        loading.lock();
        try {
            current = loaded;
            long seen = changes.get();
            if (current != null && current.changes() == seen) {
                return current.catalog();
            }
            // The count is read before loading: a change noticed during the load leaves this copy stale,
            // and the next read loads again.
            var catalog = PriceCatalog.of(store.all());
            loaded = new Loaded(seen, catalog);
            return catalog;
        } finally {
            loading.unlock();
        }
    }
}
