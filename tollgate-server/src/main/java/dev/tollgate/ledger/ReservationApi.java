package dev.tollgate.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.platform.Idempotency;
import dev.tollgate.platform.Problems;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.Caller;
import dev.tollgate.pricing.TokenEstimator;
import dev.tollgate.shared.Money;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.web.bind.annotation.RestController;

/**
 * The pre-flight check and the three ends of a call: reserve, commit, release, and usage without a
 * reservation. It validates, estimates tokens and maps results to HTTP; no business rules here.
 */
@RestController
class ReservationApi {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:/@+-]*");
    private static final int PROMPT_LENGTH_MAX = 2_000_000;
    private static final int MESSAGES_MAX = 10_000;

    private final Ledger ledger;
    private final TokenEstimator tokens;
    private final LedgerSettings settings;
    private final Idempotency idempotency;

    ReservationApi(Ledger ledger, TokenEstimator tokens, LedgerSettings settings, Idempotency idempotency) {
        this.ledger = ledger;
        this.tokens = tokens;
        this.settings = settings;
        this.idempotency = idempotency;
    }

    /** Spelled out: the snake-case naming of the other fields would give {@code cache_write1h_input_tokens}. */
    private static final String CACHE_WRITE_1H = "cache_write_1h_input_tokens";

    // ---- requests ---------------------------------------------------------------------------------------

    record ReserveRequest(@Nullable String accountId, @Nullable String provider, @Nullable String model,
            @Nullable Long inputTokens, @Nullable String prompt, @Nullable List<Map<String, Object>> messages,
            @Nullable Long maxOutputTokens, @Nullable Boolean byok, @Nullable String jobType, @Nullable String jobId,
            @Nullable String conversationId, @Nullable Map<String, Object> metadata) {}

    record CommitRequest(@Nullable Long inputTokens, @Nullable Long outputTokens, @Nullable Long cachedInputTokens,
            @Nullable Long cacheWriteInputTokens,
            @JsonProperty(CACHE_WRITE_1H) @Nullable Long cacheWrite1hInputTokens, @Nullable String model,
            @Nullable Long durationMs, @Nullable Map<String, Object> metadata) {}

    record UsageRequest(@Nullable String accountId, @Nullable String provider, @Nullable String model,
            @Nullable Long inputTokens, @Nullable Long outputTokens, @Nullable Long cachedInputTokens,
            @Nullable Long cacheWriteInputTokens,
            @JsonProperty(CACHE_WRITE_1H) @Nullable Long cacheWrite1hInputTokens, @Nullable Boolean byok,
            @Nullable String jobType, @Nullable String jobId, @Nullable String conversationId,
            @Nullable Long durationMs, @Nullable Map<String, Object> metadata) {}

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
            long inputTokens, long outputTokens, long cachedInputTokens, long cacheWriteInputTokens,
            @JsonProperty(CACHE_WRITE_1H) long cacheWrite1hInputTokens, long totalTokens, String costUsd,
            boolean priced, boolean byok, long overageTokens, @Nullable String jobType, @Nullable String jobId,
            @Nullable String conversationId, @Nullable Long durationMs, Map<String, Object> metadata,
            String billingPeriod, Instant createdAt) {

        static UsageResponse of(UsageRecord u) {
            return new UsageResponse(u.id(), u.accountId(), u.reservationId(), u.provider(), u.model(),
                    u.inputTokens(), u.outputTokens(), u.cachedInputTokens(), u.cacheWriteInputTokens(),
                    u.cacheWrite1hInputTokens(), u.totalTokens(),
                    Money.format(u.costMicros()), u.priced(), u.byok(), u.overageTokens(), u.jobType(), u.jobId(),
                    u.conversationId(), u.durationMs(), u.metadata(), u.billingPeriod(), u.createdAt());
        }
    }

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

    /**
     * The parts of a call's input, each 0 when absent: cache reads and cache writes together at most the input,
     * one-hour cache writes at most the cache writes.
     */
    private record InputParts(long cached, long cacheWrite, long cacheWrite1h) {

        static InputParts of(long input, @Nullable Long cached, @Nullable Long cacheWrite, @Nullable Long cacheWrite1h) {
            long cachedTokens = Validation.optionalTokens(cached, "cached_input_tokens", 0);
            Validation.check(cachedTokens <= input, "cached_input_tokens", "must not exceed input_tokens");
            long writeTokens = Validation.optionalTokens(cacheWrite, "cache_write_input_tokens", 0);
            Validation.check(writeTokens <= input - cachedTokens, "cache_write_input_tokens",
                    "must not exceed input_tokens minus cached_input_tokens");
            long hourTokens = Validation.optionalTokens(cacheWrite1h, "cache_write_1h_input_tokens", 0);
            Validation.check(hourTokens <= writeTokens, "cache_write_1h_input_tokens",
                    "must not exceed cache_write_input_tokens");
            return new InputParts(cachedTokens, writeTokens, hourTokens);
        }
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
                .orElseThrow(() -> LedgerProblem.reservationNotFound(id));
    }

    @PostMapping("/v1/reservations/{id}/commit")
    ResponseEntity<?> commit(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestHeader(name = Idempotency.HEADER, required = false) @Nullable String idempotencyKey,
            @RequestBody CommitRequest request) {
        long input = Validation.tokens(request.inputTokens(), "input_tokens");
        long output = Validation.tokens(request.outputTokens(), "output_tokens");
        var parts = InputParts.of(input, request.cachedInputTokens(), request.cacheWriteInputTokens(),
                request.cacheWrite1hInputTokens());
        String model = request.model() == null ? null : name(request.model(), "model", 128);
        Long duration = durationMs(request.durationMs());
        var command = new CommitCommand(input, output, parts.cached(), parts.cacheWrite(), parts.cacheWrite1h(), model,
                duration,
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
        var parts = InputParts.of(input, r.cachedInputTokens(), r.cacheWriteInputTokens(), r.cacheWrite1hInputTokens());
        var command = new UsageCommand(accountId, name(r.provider(), "provider", 64), name(r.model(), "model", 128),
                input, Validation.tokens(r.outputTokens(), "output_tokens"), parts.cached(), parts.cacheWrite(),
                parts.cacheWrite1h(), Boolean.TRUE.equals(r.byok()),
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
}
