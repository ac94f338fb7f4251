package dev.tollgate.ledger;

import dev.tollgate.ledger.ReserveResult.Warning;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** The soft warning at or above the configured share of the token allowance (seed 002). */
@Component
class SoftWarnings {

    private final LedgerSettings settings;

    SoftWarnings(LedgerSettings settings) {
        this.settings = settings;
    }

    /** In seed 002's words: "User at 91.7% of quota"; none without a limit or below the threshold. */
    List<Warning> of(long tokensUsed, @Nullable Long tokensLimit) {
        if (tokensLimit == null || tokensLimit == 0) {
            return List.of();
        }
        double percent = percent(tokensUsed, tokensLimit);
        if (percent < settings.softLimitPercent()) {
            return List.of();
        }
        String shown = BigDecimal.valueOf(percent).setScale(1, RoundingMode.HALF_UP).toPlainString();
        return List.of(new Warning("soft_limit", percent, "User at " + shown + "% of quota"));
    }

    /** Percent used with one decimal, rounded half up. */
    static double percent(long used, long limit) {
        if (limit <= 0) {
            return used > 0 ? 100.0 : 0.0;
        }
        return BigDecimal.valueOf(used).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(limit), 1, RoundingMode.HALF_UP).doubleValue();
    }
}
