package dev.tollgate.console;

import dev.tollgate.account.Account;
import dev.tollgate.event.Event;
import dev.tollgate.event.WebhookDelivery;
import dev.tollgate.event.WebhookEndpoint;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.LedgerEntry;
import dev.tollgate.ledger.Meter;
import dev.tollgate.ledger.Reservation;
import dev.tollgate.ledger.UsageRecord;
import dev.tollgate.platform.security.ApiKey;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.UsdPer1kTokens;
import dev.tollgate.shared.Money;
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
        return "$" + UsdPer1kTokens.format(microsPerMillion);
    }

    /** An account in the list, with its plan, status and tokens used this period as last stored. */
    record AccountRow(String id, @Nullable String email, String createdAt, String plan, String status,
            long tokensUsed, @Nullable Long tokensLimit) {

        static AccountRow of(Account a, Ledger.@Nullable MeterRow meters, @Nullable Long planLimit) {
            if (meters == null) {
                return new AccountRow(a.id(), a.email(), when(a.createdAt()), "–", "–", 0, null);
            }
            return new AccountRow(a.id(), a.email(), when(a.createdAt()), meters.planCode(), meters.status(),
                    meters.tokensUsed(), meters.tokensOverride() != null ? meters.tokensOverride() : planLimit);
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
                    : per1k(price.get().rates().inputMicrosPerMillion()) + " in / "
                            + per1k(price.get().rates().outputMicrosPerMillion())
                            + " out per 1K, from " + when(price.get().effectiveFrom());
            return new UsageRow(u.id(), when(u.createdAt()), u.provider() + "/" + u.model(), u.inputTokens(),
                    u.outputTokens(), u.totalTokens(), Money.display(u.costMicros()), u.byok(), charged);
        }
    }

    record DeliveryRow(String id, String endpointId, String eventType, String accountId, String status, int attempts,
            @Nullable Integer lastHttpStatus, @Nullable String lastError, String lastAttemptAt, long deliveryId) {

        static DeliveryRow of(WebhookDelivery d) {
            return new DeliveryRow(d.publicId(), d.endpointId(), d.eventType(), d.accountId(), d.status().wireName(),
                    d.attempts(), d.lastHttpStatus(), d.lastError(), when(d.lastAttemptAt()), d.id());
        }
    }

    record KeyRow(String id, String name, String role, String prefix, String createdAt, @Nullable String revokedAt) {

        static KeyRow of(ApiKey k) {
            return new KeyRow(k.id(), k.name(), k.role().wireName(), k.prefix(), when(k.createdAt()),
                    k.revokedAt() == null ? null : when(k.revokedAt()));
        }
    }

    record EndpointRow(String id, String url, String events, @Nullable String description, String createdAt) {

        static EndpointRow of(WebhookEndpoint e) {
            return new EndpointRow(e.id(), e.url(), e.eventTypes().isEmpty() ? "all" : String.join(", ", e.eventTypes()),
                    e.description(), when(e.createdAt()));
        }
    }

    record ReservationRow(String id, String at, String model, long tokens, long credits, String amount,
            @Nullable String conversationId, String expiresAt) {

        static ReservationRow of(Reservation r) {
            return new ReservationRow(r.id(), when(r.createdAt()), r.provider() + "/" + r.model(), r.tokens(),
                    r.credits(), Money.display(r.amountMicros()), r.conversationId(), when(r.expiresAt()));
        }
    }

    record ConversationRow(String id, String startedAt, String state) {

        static ConversationRow of(Ledger.ConversationRow c) {
            return new ConversationRow(c.conversationId(), when(c.startedAt()), c.finished() ? "finished"
                    : "open (" + c.openCalls() + (c.openCalls() == 1 ? " call)" : " calls)"));
        }
    }

    record EventRow(String id, String at, String accountId, String type, String data) {

        static EventRow of(Event e) {
            return new EventRow(e.publicId(), when(e.createdAt()), e.accountId(), e.type(), e.data().toString());
        }
    }
}
