package dev.tollgate.pricing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A new price for one model, in micro-USD per million tokens. Names are normalized to lowercase.
 * Without {@code effectiveFrom} the price starts now; it may also start in the future. Times are kept
 * to the microsecond, as PostgreSQL stores them.
 */
public record PriceChange(String provider, String model, Rates rates, @Nullable Instant effectiveFrom) {

    /** Effective dates outside this range are typing mistakes, and beyond it PostgreSQL cannot store them. */
    public static final Instant EFFECTIVE_FROM_MIN = Instant.parse("2000-01-01T00:00:00Z");

    public static final Instant EFFECTIVE_FROM_MAX = Instant.parse("9999-12-31T00:00:00Z");

    public PriceChange {
        provider = ModelNames.provider(Objects.requireNonNull(provider, "provider"));
        model = ModelNames.model(Objects.requireNonNull(model, "model"));
        Objects.requireNonNull(rates, "rates");
        if (effectiveFrom != null) {
            requireEffectiveFrom(effectiveFrom);
            effectiveFrom = effectiveFrom.truncatedTo(ChronoUnit.MICROS);
        }
    }

    static void requireEffectiveFrom(Instant effectiveFrom) {
        if (effectiveFrom.isBefore(EFFECTIVE_FROM_MIN) || effectiveFrom.isAfter(EFFECTIVE_FROM_MAX)) {
            throw new IllegalArgumentException(
                    "must be between " + EFFECTIVE_FROM_MIN + " and " + EFFECTIVE_FROM_MAX + ", was " + effectiveFrom);
        }
    }
}
