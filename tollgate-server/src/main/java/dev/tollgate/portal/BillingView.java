package dev.tollgate.portal;

import dev.tollgate.ledger.LedgerEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Everything the billing page shows, computed once per request. Amounts are formatted here so that
 * the template only places them.
 */
public record BillingView(
        String accountId,
        @Nullable String email,
        String planName,
        String status,
        @Nullable Long trialDaysLeft,
        @Nullable String trialExpiredMessage,
        Instant periodEnd,
        Meter tokens,
        @Nullable Meter conversations,
        long credits,
        String balanceUsd,
        List<String> warnings,
        @Nullable Denial lastDenial,
        List<DayBar> days,
        List<ModelRow> models,
        List<Entry> entries,
        @Nullable Long olderEntries,
        List<Offer> upgrades,
        boolean chargesBalance,
        @Nullable String returnUrl,
        Purchases purchases) {

    private static final DateTimeFormatter DAY_AND_TIME =
            DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT =
            DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    public String periodEndText() {
        return DAY_AND_TIME.format(periodEnd);
    }

    /** A periodic meter: used, reserved apart, and its limit (null: unlimited). */
    record Meter(long used, long reserved, @Nullable Long limit, double percentUsed, double percentReserved) {

        public @Nullable Long remaining() {
            return limit == null ? null : Math.max(0, limit - used - reserved);
        }

        /** The bar's filled width in a 0..100 viewBox. */
        public double usedWidth() {
            return Math.min(100, percentUsed);
        }

        public double reservedWidth() {
            return Math.min(100 - usedWidth(), percentReserved);
        }
    }

    /** One day of the period in the chart; {@code height} is of a 0..100 viewBox. */
    record DayBar(String day, String label, long tokens, String costUsd, double x, double width, double height) {}

    record ModelRow(String model, long requests, long inputTokens, long outputTokens, long totalTokens,
            String costUsd) {}

    record Entry(String id, Instant at, String meter, String type, long amount, long balanceAfter,
            @Nullable String description) {

        public String atText() {
            return SHORT.format(at);
        }

        static Entry of(LedgerEntry e) {
            return new Entry(e.publicId(), e.createdAt(), e.meter().wireName(), e.type().wireName(), e.amount(),
                    e.balanceAfter(), e.description());
        }
    }

    /** The account's latest refused request, while it is recent: what the user was told, and when. */
    record Denial(String message, Instant at) {

        public String atText() {
            return SHORT.format(at);
        }
    }

    /**
     * What the page's buttons do: post to Tollgate, which opens Stripe ({@code viaStripe}), or lead to the
     * host app's own page ({@code fallbackUrl}); a button without either is not shown.
     */
    record Purchases(boolean viaStripe, @Nullable String fallbackUrl, boolean topUp, List<Integer> topUpAmountsUsd,
            boolean manageBilling) {}

    /** An upgrade the page offers: the plan, its price and allowance. */
    record Offer(String code, String name, String priceUsd, String period, @Nullable Long tokensPerPeriod) {}
}
