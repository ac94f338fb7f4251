package dev.tollgate.ledger;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The pre-flight decision: reserved, or rejected with the first denial that applies. */
public sealed interface ReserveResult {

    /** Approved: the reservation, what is left on each meter after it, and soft warnings. */
    record Reserved(Reservation reservation, Remaining remaining, List<Warning> warnings) implements ReserveResult {
        public Reserved {
            warnings = List.copyOf(warnings);
        }
    }

    /** Denied; {@code context} carries {@code remaining} and {@code needed} where they apply. */
    record Rejected(LedgerProblem problem, String detail, Map<String, Object> context) implements ReserveResult {
        public Rejected {
            context = Map.copyOf(context);
        }
    }

    /** Null means unlimited. */
    record Remaining(@Nullable Long tokens, @Nullable Long conversations, long credits, long balanceMicros) {}

    record Warning(String code, double percentUsed, String message) {}
}
