package dev.tollgate.ledger;

import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.platform.AccountGuard;
import dev.tollgate.platform.Idempotency;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Problems;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.Caller;
import dev.tollgate.pricing.TokenEstimator;
import dev.tollgate.shared.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reservations, usage, credit and money movements, and reads of the ledger. No business rules here. */
@RestController
class LedgerApi {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:/@+-]*");
    private static final int PROMPT_LENGTH_MAX = 2_000_000;
    private static final int MESSAGES_MAX = 10_000;
    private static final long TOP_UP_MICROS_MAX = 1_000_000L * Money.MICROS_PER_USD;
    private static final Duration REPORT_RANGE_MAX = Duration.ofDays(367);
    private static final int RECONCILIATION_LIMIT = 1000;
    /** The first page of usage starts before this; PostgreSQL's timestamptz cannot hold Instant.MAX. */
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private final Ledger ledger;
    private final TokenEstimator tokens;
    private final LedgerSettings settings;
    private final Idempotency idempotency;
    private final AccountGuard guard;
    private final Clock clock;

    LedgerApi(Ledger ledger, TokenEstimator tokens, LedgerSettings settings, Idempotency idempotency,
            AccountGuard guard, Clock clock) {
        this.ledger = ledger;
        this.tokens = tokens;
        this.settings = settings;
        this.idempotency = idempotency;
        this.guard = guard;
        this.clock = clock;
    }

    // ---- requests ---------------------------------------------------------------------------------------

    record ReserveRequest(@Nullable String accountId, @Nullable String provider, @Nullable String model,
            @Nullable Long inputTokens, @Nullable String prompt, @Nullable List<Map<String, Object>> messages,
            @Nullable Long maxOutputTokens, @Nullable Boolean byok, @Nullable String jobType, @Nullable String jobId,
            @Nullable String conversationId, @Nullable Map<String, Object> metadata) {}

    record CommitRequest(@Nullable Long inputTokens, @Nullable Long outputTokens, @Nullable Long cachedInputTokens,
            @Nullable String model, @Nullable Long durationMs, @Nullable Map<String, Object> metadata) {}

    record UsageRequest(@Nullable String accountId, @Nullable String provider, @Nullable String model,
            @Nullable Long inputTokens, @Nullable Long outputTokens, @Nullable Long cachedInputTokens,
            @Nullable Boolean byok, @Nullable String jobType, @Nullable String jobId, @Nullable String conversationId,
            @Nullable Long durationMs, @Nullable Map<String, Object> metadata) {}

    record CreditsRequest(@Nullable String type, @Nullable Long amount, @Nullable String description,
            @Nullable Map<String, Object> metadata) {}

    record TopUpRequest(@Nullable String amountUsd, @Nullable String reference) {}

    // ---- responses --------------------------------------------------------------------------------------

    record Amounts(@Nullable Long tokens, @Nullable Long conversations, long credits, String usd) {}

    record ReservationResponse(String id, String accountId, String status, String provider, String model,
            boolean byok, Amounts reserved, @Nullable Amounts remaining, List<ReserveResult.Warning> warnings,
            long inputTokens, long maxOutputTokens, @Nullable String jobType, @Nullable String jobId,
            @Nullable String conversationId, Map<String, Object> metadata, Instant createdAt, Instant expiresAt,
            @Nullable Instant resolvedAt, @Nullable String usageRecordId) {

        static ReservationResponse of(Reservation r, ReserveResult.@Nullable Remaining remaining,
                List<ReserveResult.Warning> warnings) {
            return new ReservationResponse(r.id(), r.accountId(), r.status().wireName(), r.provider(), r.model(),
                    r.byok(), new Amounts(r.tokens(), r.conversations(), r.credits(), Money.format(r.amountMicros())),
                    remaining == null ? null : new Amounts(remaining.tokens(), remaining.conversations(),
                            remaining.credits(), Money.format(remaining.balanceMicros())),
                    warnings, r.inputTokensEstimated(), r.maxOutputTokens(), r.jobType(), r.jobId(),
                    r.conversationId(), r.metadata(), r.createdAt(), r.expiresAt(), r.resolvedAt(),
                    r.usageRecordId());
        }
    }

    record UsageResponse(String id, String accountId, @Nullable String reservationId, String provider, String model,
            long inputTokens, long outputTokens, long cachedInputTokens, long totalTokens, String costUsd,
            boolean priced, boolean byok, long overageTokens, @Nullable String jobType, @Nullable String jobId,
            @Nullable String conversationId, @Nullable Long durationMs, Map<String, Object> metadata,
            String billingPeriod, Instant createdAt) {

        static UsageResponse of(UsageRecord u) {
            return new UsageResponse(u.id(), u.accountId(), u.reservationId(), u.provider(), u.model(),
                    u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), u.totalTokens(),
                    Money.format(u.costMicros()), u.priced(), u.byok(), u.overageTokens(), u.jobType(), u.jobId(),
                    u.conversationId(), u.durationMs(), u.metadata(), u.billingPeriod(), u.createdAt());
        }
    }

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

    record ReconciliationResponse(List<Discrepancy> data, @Nullable String nextCursor, Instant checkedAt) {}

    // ---- reservations -----------------------------------------------------------------------------------

    @PostMapping("/v1/reservations")
    ResponseEntity<?> reserve(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody ReserveRequest request) {
        var command = toCommand(request);
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/reservations", request,
                () -> switch (ledger.reserve(command)) {
                    case Reserved reserved -> ResponseEntity.status(HttpStatus.CREATED).body(ReservationResponse.of(
                            reserved.reservation(), reserved.remaining(), reserved.warnings()));
                    case Rejected rejected -> ResponseEntity.status(rejected.problem().status())
                            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                            .body(Problems.detail(rejected.problem(), rejected.detail(), rejected.context()));
                });
    }

    private ReserveCommand toCommand(ReserveRequest r) {
        String accountId = Validation.accountId(r.accountId(), "account_id");
        String provider = name(r.provider(), "provider", 64);
        String model = name(r.model(), "model", 128);
        int sources = (r.inputTokens() != null ? 1 : 0) + (r.prompt() != null ? 1 : 0) + (r.messages() != null ? 1 : 0);
        Validation.check(sources <= 1, "input_tokens", "send only one of input_tokens, prompt or messages");
        long input;
        if (r.inputTokens() != null) {
            input = Validation.tokens(r.inputTokens(), "input_tokens");
        } else if (r.prompt() != null) {
            Validation.check(r.prompt().length() <= PROMPT_LENGTH_MAX, "prompt",
                    "must be at most " + PROMPT_LENGTH_MAX + " characters");
            input = tokens.countText(provider, model, r.prompt());
        } else if (r.messages() != null) {
            Validation.check(r.messages().size() <= MESSAGES_MAX, "messages",
                    "must hold at most " + MESSAGES_MAX + " messages");
            for (int i = 0; i < r.messages().size(); i++) {
                Validation.check(r.messages().get(i) != null, "messages[" + i + "]", "must be an object");
            }
            Validation.check(Validation.jsonSize(r.messages()) <= PROMPT_LENGTH_MAX * 2L, "messages",
                    "must be at most " + PROMPT_LENGTH_MAX * 2L + " bytes of JSON");
            input = tokens.countMessages(provider, model, r.messages());
        } else {
            input = 0;
        }
        long maxOutput = Validation.optionalTokens(r.maxOutputTokens(), "max_output_tokens",
                settings.defaultOutputTokens());
        Validation.check(input + maxOutput <= Validation.TOKENS_MAX, "input_tokens",
                "the estimate must be at most " + Validation.TOKENS_MAX + " tokens");
        return new ReserveCommand(accountId, provider, model, input, maxOutput, Boolean.TRUE.equals(r.byok()),
                Validation.optionalText(r.jobType(), "job_type", 128),
                Validation.optionalText(r.jobId(), "job_id", Validation.SHORT_TEXT_LENGTH_MAX),
                Validation.optionalText(r.conversationId(), "conversation_id", Validation.SHORT_TEXT_LENGTH_MAX),
                Validation.metadata(r.metadata(), "metadata"));
    }

    /** Providers and models are compared case-insensitively; they are stored lowercase. */
    private static String name(@Nullable String value, String field, int max) {
        String name = Validation.id(value, field, max).toLowerCase(Locale.ROOT);
        Validation.check(NAME.matcher(name).matches(), field,
                "may contain letters, digits and . _ : / @ + - only");
        return name;
    }

    @GetMapping("/v1/reservations/{id}")
    ReservationResponse get(@PathVariable String id) {
        return ledger.reservation(id).map(r -> ReservationResponse.of(r, null, List.of()))
                .orElseThrow(() -> new ProblemException(LedgerProblem.RESERVATION_NOT_FOUND,
                        "No reservation with id '" + id + "'."));
    }

    @PostMapping("/v1/reservations/{id}/commit")
    ResponseEntity<?> commit(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody CommitRequest request) {
        long input = Validation.tokens(request.inputTokens(), "input_tokens");
        long output = Validation.tokens(request.outputTokens(), "output_tokens");
        long cached = Validation.optionalTokens(request.cachedInputTokens(), "cached_input_tokens", 0);
        Validation.check(cached <= input, "cached_input_tokens", "must not exceed input_tokens");
        String model = request.model() == null ? null : name(request.model(), "model", 128);
        Long duration = durationMs(request.durationMs());
        var command = new CommitCommand(input, output, cached, model, duration,
                Validation.metadata(request.metadata(), "metadata"));
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/reservations/" + id + "/commit", request,
                () -> ResponseEntity.ok(UsageResponse.of(ledger.commit(id, command, caller.id()).usage())));
    }

    @PostMapping("/v1/reservations/{id}/release")
    ResponseEntity<?> release(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey) {
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/reservations/" + id + "/release", null,
                () -> {
                    var released = ledger.release(id, caller.id());
                    return ResponseEntity.ok(Map.of("id", released.id(), "status", released.status().wireName()));
                });
    }

    // ---- usage without reservation -------------------------------------------------------------------

    @PostMapping("/v1/usage")
    ResponseEntity<?> usage(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody UsageRequest r) {
        String accountId = Validation.accountId(r.accountId(), "account_id");
        long input = Validation.tokens(r.inputTokens(), "input_tokens");
        long cached = Validation.optionalTokens(r.cachedInputTokens(), "cached_input_tokens", 0);
        Validation.check(cached <= input, "cached_input_tokens", "must not exceed input_tokens");
        var command = new UsageCommand(accountId, name(r.provider(), "provider", 64), name(r.model(), "model", 128),
                input, Validation.tokens(r.outputTokens(), "output_tokens"), cached, Boolean.TRUE.equals(r.byok()),
                Validation.optionalText(r.jobType(), "job_type", 128),
                Validation.optionalText(r.jobId(), "job_id", Validation.SHORT_TEXT_LENGTH_MAX),
                Validation.optionalText(r.conversationId(), "conversation_id", Validation.SHORT_TEXT_LENGTH_MAX),
                durationMs(r.durationMs()), Validation.metadata(r.metadata(), "metadata"));
        return idempotency.run(caller.scope(), idempotencyKey, "POST", "/v1/usage", r,
                () -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(UsageResponse.of(ledger.recordUsage(command, caller.id()))));
    }

    private static @Nullable Long durationMs(@Nullable Long value) {
        if (value != null) {
            Validation.check(value >= 0 && value <= Duration.ofDays(1).toMillis(), "duration_ms",
                    "must be 0 to 86400000");
        }
        return value;
    }

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
            return Page.of(found.stream().map(UsageResponse::of).toList(), size,
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

    @GetMapping("/v1/admin/reconciliation")
    ReconciliationResponse reconciliation(@RequestParam(name = "account_id", required = false)
            @Nullable String accountId) {
        return new ReconciliationResponse(ledger.reconcile(accountId, RECONCILIATION_LIMIT), null, clock.instant());
    }
}
