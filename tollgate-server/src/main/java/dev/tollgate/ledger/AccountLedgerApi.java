package dev.tollgate.ledger;

import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Idempotency;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.Caller;
import dev.tollgate.report.UsageGrouping;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An account's credit and money movements, and reads of its ledger and usage. No business rules here. */
@RestController
class AccountLedgerApi {

    private static final long TOP_UP_MICROS_MAX = 1_000_000L * Money.MICROS_PER_USD;
    private static final Duration REPORT_RANGE_MAX = Duration.ofDays(367);
    /** The first page of usage starts before this; PostgreSQL's timestamptz cannot hold Instant.MAX. */
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final Ledger ledger;
    private final Idempotency idempotency;
    private final AccountGuard guard;
    private final Clock clock;

    AccountLedgerApi(Ledger ledger, Idempotency idempotency, AccountGuard guard, Clock clock) {
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.guard = guard;
        this.clock = clock;
    }

    record CreditsRequest(@Nullable String type, @Nullable Long amount, @Nullable String description,
            @Nullable Map<String, Object> metadata) {}

    record TopUpRequest(@Nullable String amountUsd, @Nullable String reference) {}

    /** Amounts of the balance meter are money strings; the other meters count whole units. */
    record EntryResponse(String id, String accountId, String meter, String type, Object amount, Object balanceAfter,
            @Nullable String description, @Nullable String reference, String actor, Map<String, Object> metadata,
            Instant createdAt) {

        static EntryResponse of(LedgerEntry e) {
            boolean money = e.meter() == Meter.BALANCE;
            return new EntryResponse(e.publicId(), e.accountId(), e.meter().wireName(), e.type().wireName(),
                    money ? Money.format(e.amount()) : e.amount(),
                    money ? Money.format(e.balanceAfter()) : e.balanceAfter(), e.description(), e.reference(),
                    e.actor(), e.metadata(), e.createdAt());
        }
    }

    record TotalsResponse(@Nullable String day, @Nullable String model, long requests, long inputTokens,
            long outputTokens, long cachedInputTokens, long totalTokens, String costUsd) {}

    // ---- credits and top-ups ---------------------------------------------------------------------------

    @PostMapping("/v1/accounts/{id}/credits")
    ResponseEntity<?> credits(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody CreditsRequest r) {
        EntryType type = CreditTransactions.type(Validation.required(r.type(), "type"), "type");
        long amount = Validation.required(r.amount(), "amount");
        CreditTransactions.checkAmount(type, amount, "amount");
        String description = Validation.id(r.description(), "description", Validation.TEXT_LENGTH_MAX);
        var metadata = Validation.metadata(r.metadata(), "metadata");
        // A missing account is refused by the ledger itself (404 account_not_found), inside the same transaction.
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/accounts/" + id + "/credits", r,
                () -> ResponseEntity.status(HttpStatus.CREATED).body(EntryResponse.of(
                        ledger.adjustCredits(id, type, amount, description, metadata, caller.id()))));
    }

    @PostMapping("/v1/accounts/{id}/top-ups")
    ResponseEntity<?> topUp(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody TopUpRequest r) {
        long micros = Validation.money(r.amountUsd(), "amount_usd", false);
        Validation.check(micros > 0 && micros <= TOP_UP_MICROS_MAX, "amount_usd",
                "must be more than 0 and at most " + Money.format(TOP_UP_MICROS_MAX));
        String reference = Validation.optionalText(r.reference(), "reference", Validation.SHORT_TEXT_LENGTH_MAX);
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/accounts/" + id + "/top-ups", r,
                () -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(EntryResponse.of(ledger.topUp(id, micros, reference, caller.id()))));
    }

    // ---- reads -------------------------------------------------------------------------------------------

    @GetMapping("/v1/accounts/{id}/ledger")
    Page<EntryResponse> entries(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Nullable String meter,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        guard.requireReadable(caller, id);
        int size = Page.size(limit);
        Meter filter = null;
        if (meter != null) {
            try {
                filter = Meter.ofWireName(meter);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(PlatformProblem.INVALID_PARAMETER,
                        "meter must be one of tokens, conversations, credits, balance.", Map.of("field", "meter"));
            }
        }
        long before = cursor == null ? Long.MAX_VALUE : parseEntryCursor(cursor);
        var found = ledger.entries(id, filter, before, size + 1);
        return Page.of(found.stream().map(EntryResponse::of).toList(), size, EntryResponse::id);
    }

    private static long parseEntryCursor(String cursor) {
        String digits = cursor.startsWith(LedgerEntry.ID_PREFIX) ? cursor.substring(LedgerEntry.ID_PREFIX.length())
                : cursor;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ProblemException(PlatformProblem.INVALID_PARAMETER, "cursor is not valid.",
                    Map.of("field", "cursor"));
        }
    }

    @GetMapping("/v1/accounts/{id}/usage")
    Page<?> usage(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(name = "group_by", required = false) @Nullable String groupBy,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer limit) {
        guard.requireReadable(caller, id);
        if (groupBy == null) {
            int size = Page.size(limit);
            Instant before = END_OF_TIME;
            String beforeId = "\uffff";
            if (cursor != null) {
                int split = cursor.indexOf('~');
                try {
                    before = Instant.parse(cursor.substring(0, split));
                    beforeId = cursor.substring(split + 1);
                } catch (RuntimeException e) {
                    throw new ProblemException(PlatformProblem.INVALID_PARAMETER, "cursor is not valid.",
                            Map.of("field", "cursor"));
                }
            }
            var found = ledger.usage(id, before, beforeId, size + 1);
            return Page.of(found.stream().map(ReservationApi.UsageResponse::of).toList(), size,
                    u -> u.createdAt() + "~" + u.id());
        }
        UsageGrouping grouping = switch (groupBy) {
            case "day" -> UsageGrouping.DAY;
            case "model" -> UsageGrouping.MODEL;
            default -> throw new ProblemException(PlatformProblem.INVALID_PARAMETER, "group_by must be day or model.",
                    Map.of("field", "group_by"));
        };
        Instant now = clock.instant();
        Instant end = to == null ? now.plus(Duration.ofDays(1)) : instant(to, "to");
        Instant start = from == null ? end.minus(Duration.ofDays(31)) : instant(from, "from");
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(REPORT_RANGE_MAX) > 0) {
            throw new ProblemException(PlatformProblem.INVALID_PARAMETER,
                    "from must be before to, at most 367 days apart.", Map.of("field", "from"));
        }
        var totals = ledger.usageTotals(id, grouping, start, end).stream()
                .map(t -> new TotalsResponse(grouping == UsageGrouping.DAY ? t.key() : null,
                        grouping == UsageGrouping.MODEL ? t.key() : null, t.requests(), t.inputTokens(),
                        t.outputTokens(), t.cachedInputTokens(), t.totalTokens(), Money.format(t.costMicros())))
                .toList();
        return new Page<>(totals, null);
    }

    /** Accepts a date ("2026-11-01", the start of that UTC day) or an instant ("2026-11-01T10:00:00Z"). */
    private static Instant instant(String value, String field) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(PlatformProblem.INVALID_PARAMETER,
                    field + " must be a date like 2026-11-01 or a time like 2026-11-01T10:00:00Z.",
                    Map.of("field", field));
        }
    }
}
