package dev.tollgate.ledger;

import dev.tollgate.shared.Money;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one account as stored: used and reserved per periodic meter, held and reserved per
 * carried one. Only the reserve statement adds to the reserved values (the admission rule decides there);
 * every other change is one of the methods below, which return the next value of the row.
 */
public record Budget(
        String accountId,
        Instant periodStart,
        long tokensUsed,
        long tokensReserved,
        long conversationsUsed,
        long conversationsReserved,
        long credits,
        long creditsReserved,
        Money balance,
        Money balanceReserved) {

    public long balanceMicros() {
        return balance.micros();
    }

    public long balanceReservedMicros() {
        return balanceReserved.micros();
    }

    public long creditsAvailable() {
        return credits - creditsReserved;
    }

    public Money balanceAvailable() {
        return balance.minus(balanceReserved);
    }

    /** Tokens left under {@code limit} (null: unlimited), never below zero. */
    public @Nullable Long tokensRemaining(@Nullable Long limit) {
        return limit == null ? null : Math.max(0, limit - tokensUsed - tokensReserved);
    }

    /** Conversation slots left under {@code limit} (null: unlimited), never below zero. */
    public @Nullable Long conversationsRemaining(@Nullable Long limit) {
        return limit == null ? null : Math.max(0, limit - conversationsUsed - conversationsReserved);
    }

    /** Gives back what ended reservations set aside. */
    Budget release(Hold hold) {
        return new Budget(accountId, periodStart, tokensUsed, tokensReserved - hold.tokens(), conversationsUsed,
                conversationsReserved - hold.conversations(), credits, creditsReserved - hold.credits(), balance,
                balanceReserved.minus(hold.amount()));
    }

    /**
     * Posts usage: {@code tokens} and {@code conversations} more used, {@code credits} and {@code amount}
     * fewer held; then gives back what its reservation set aside.
     */
    Budget settle(long tokens, long conversations, long creditsSpent, Money amount, Hold released) {
        return new Budget(accountId, periodStart, Math.addExact(tokensUsed, tokens),
                tokensReserved, Math.addExact(conversationsUsed, conversations), conversationsReserved,
                Math.subtractExact(credits, creditsSpent), creditsReserved, balance.minus(amount), balanceReserved)
                .release(released);
    }

    /** The periodic meters start again in the period from {@code start}; reserves stay, they are still held. */
    Budget inPeriod(Instant start) {
        return new Budget(accountId, start, 0, tokensReserved, 0, conversationsReserved, credits, creditsReserved,
                balance, balanceReserved);
    }

    /** Adds a signed number of credits. */
    Budget plusCredits(long signed) {
        return new Budget(accountId, periodStart, tokensUsed, tokensReserved, conversationsUsed,
                conversationsReserved, Math.addExact(credits, signed), creditsReserved, balance, balanceReserved);
    }

    Budget plusBalance(Money amount) {
        return new Budget(accountId, periodStart, tokensUsed, tokensReserved, conversationsUsed,
                conversationsReserved, credits, creditsReserved, balance.plus(amount), balanceReserved);
    }
}
