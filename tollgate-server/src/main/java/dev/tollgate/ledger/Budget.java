package dev.tollgate.ledger;

import java.time.Instant;

/** The meters of one account as stored: used and reserved per periodic meter, held and reserved per carried one. */
public record Budget(
        String accountId,
        Instant periodStart,
        long tokensUsed,
        long tokensReserved,
        long conversationsUsed,
        long conversationsReserved,
        long credits,
        long creditsReserved,
        long balanceMicros,
        long balanceReservedMicros) {

    public long creditsAvailable() {
        return credits - creditsReserved;
    }

    public long balanceAvailableMicros() {
        return balanceMicros - balanceReservedMicros;
    }
}
