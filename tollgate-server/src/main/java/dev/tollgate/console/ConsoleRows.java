package dev.tollgate.console;

import dev.tollgate.account.Account;
import dev.tollgate.event.Event;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.Meter;
import dev.tollgate.ledger.UsageRecord;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.shared.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Rows of the console's tables, formatted once here so that templates only place them. */
final class ConsoleRows {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ConsoleRows() {}

    static String when(@Nullable Instant at) {
        return at == null ? "–" : WHEN.format(at);
    }

    /** USD per 1,000 tokens, from micro-USD per million: exact, with the digits it needs. */
    static String per1k(long microsPerMillion) {
        return "$" + BigDecimal.valueOf(microsPerMillion).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    record AccountRow(String id, @Nullable String email, String createdAt) {

        static AccountRow of(Account a) {
            return new AccountRow(a.id(), a.email(), when(a.createdAt()));
        }
    }

    record EntryRow(String id, String at, String meter, String type, String amount, String balanceAfter,
            @Nullable String description, @Nullable String reference, String actor) {

        static EntryRow of(LedgerEntry e) {
            boolean money = e.meter() == Meter.BALANCE;
            return new EntryRow(e.publicId(), when(e.createdAt()), e.meter().wireName(), e.type().wireName(),
                    money ? Money.display(e.amount()) : String.format(Locale.US, "%,d", e.amount()),
                    money ? Money.display(e.balanceAfter()) : String.format(Locale.US, "%,d", e.balanceAfter()),
                    e.description(), e.reference(), e.actor());
        }
    }

    /** A usage record with the price it was charged at (the catalog's price in effect at its time). */
    record UsageRow(String id, String at, String model, long inputTokens, long outputTokens, long totalTokens,
            String cost, boolean byok, String chargedAt) {

        static UsageRow of(UsageRecord u, Optional<ModelPrice> price) {
            String charged = !u.priced() || price.isEmpty() ? "unpriced"
                    : per1k(price.get().inputMicrosPerMillion()) + " in / " + per1k(price.get().outputMicrosPerMillion())
                            + " out per 1K, from " + when(price.get().effectiveFrom());
            return new UsageRow(u.id(), when(u.createdAt()), u.provider() + "/" + u.model(), u.inputTokens(),
                    u.outputTokens(), u.totalTokens(), Money.display(u.costMicros()), u.byok(), charged);
        }
    }

    record EventRow(String id, String at, String accountId, String type, String data) {

        static EventRow of(Event e) {
            return new EventRow(e.publicId(), when(e.createdAt()), e.accountId(), e.type(), e.data().toString());
        }
    }
}
