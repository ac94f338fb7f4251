package dev.tollgate.ledger;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the ledger admits and alerts: reservation lifetime, the output reserve when a client gives no
 * {@code max_output_tokens}, the soft-warning and alert thresholds, and the plans named when a trial ends.
 */
@ConfigurationProperties("tollgate.ledger")
public record LedgerSettings(
        Duration reservationTtl,
        long defaultOutputTokens,
        boolean autoCreateAccounts,
        double softLimitPercent,
        List<Integer> thresholdPercents,
        List<String> upgradePlans,
        int sweepBatchSize) {

    public static final Duration RESERVATION_TTL_MAX = Duration.ofDays(7);

    public LedgerSettings {
        if (reservationTtl.isNegative() || reservationTtl.isZero() || reservationTtl.compareTo(RESERVATION_TTL_MAX) > 0) {
            throw new IllegalArgumentException("tollgate.ledger.reservation-ttl must be positive and at most "
                    + RESERVATION_TTL_MAX);
        }
        if (defaultOutputTokens < 0 || softLimitPercent <= 0 || sweepBatchSize < 1) {
            throw new IllegalArgumentException("tollgate.ledger settings must be positive");
        }
        for (int percent : thresholdPercents) {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("tollgate.ledger.threshold-percents must be within 1..100");
            }
        }
        thresholdPercents = thresholdPercents.stream().distinct().sorted().toList();
        upgradePlans = List.copyOf(upgradePlans);
    }
}
