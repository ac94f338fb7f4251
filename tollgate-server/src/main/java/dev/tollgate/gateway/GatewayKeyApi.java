package dev.tollgate.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.platform.security.Caller;
import dev.tollgate.platform.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Gateway keys of one account, for admin and service keys. Creation takes no Idempotency-Key: a replayed
 * answer would have to keep the secret, which is shown once and stored nowhere.
 */
@RestController
class GatewayKeyApi {

    private static final int NAME_LENGTH_MAX = 200;
    private static final int MODELS_MAX = 100;

    private final GatewayKeys keys;
    private final Clock clock;

    GatewayKeyApi(GatewayKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    record CreateRequest(@Nullable String name, @Nullable Instant expiresAt, @Nullable List<String> models) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyResponse(String id, String accountId, @Nullable String name, String prefix, List<String> models,
            Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable String secret) {

        static KeyResponse of(GatewayKey key, @Nullable String secret) {
            return new KeyResponse(key.id(), key.accountId(), key.name(), key.prefix(), key.models(), key.createdAt(),
                    key.expiresAt(), key.revokedAt(), secret);
        }

        @Override
        public String toString() {
            return "KeyResponse[id=" + id + ", accountId=" + accountId + "]";
        }
    }

    @PostMapping("/v1/accounts/{id}/gateway-keys")
    ResponseEntity<KeyResponse> create(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestBody CreateRequest request) {
        requireAdminOrService(caller);
        String name = request.name() == null ? null : Validation.id(request.name(), "name", NAME_LENGTH_MAX);
        Validation.check(request.expiresAt() == null || request.expiresAt().isAfter(clock.instant()), "expires_at",
                "must be in the future");
        List<String> models = request.models() == null ? List.of() : request.models();
        Validation.check(models.size() <= MODELS_MAX, "models", "must hold at most " + MODELS_MAX + " models");
        var normalized = new LinkedHashSet<String>();
        for (String model : models) {
            // Model names are compared lowercase, as the price catalog stores them; a comma would split on reading.
            String lowercase = Validation.id(model, "models", 128).toLowerCase(Locale.ROOT);
            Validation.check(!lowercase.contains(","), "models", "must not contain ','");
            normalized.add(lowercase);
        }
        var created = keys.create(id, name, request.expiresAt(), List.copyOf(normalized));
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyResponse.of(created.key(), created.secret()));
    }

    @GetMapping("/v1/accounts/{id}/gateway-keys")
    Page<KeyResponse> list(@AuthenticationPrincipal Caller caller, @PathVariable String id,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        requireAdminOrService(caller);
        int size = Page.size(limit);
        var found = keys.list(id, cursor == null ? "" : cursor, size + 1);
        return Page.of(found.stream().map(key -> KeyResponse.of(key, null)).toList(), size, KeyResponse::id);
    }

    @GetMapping("/v1/accounts/{id}/gateway-keys/{keyId}")
    KeyResponse get(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String keyId) {
        requireAdminOrService(caller);
        return keys.find(id, keyId).map(key -> KeyResponse.of(key, null)).orElseThrow(() -> notFound(keyId));
    }

    @DeleteMapping("/v1/accounts/{id}/gateway-keys/{keyId}")
    KeyResponse revoke(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String keyId) {
        requireAdminOrService(caller);
        return keys.revoke(id, keyId).map(key -> KeyResponse.of(key, null)).orElseThrow(() -> notFound(keyId));
    }

    /** The API chain lets read keys and end users reach GET and DELETE; gateway keys are admin and service only. */
    private static void requireAdminOrService(Caller caller) {
        if (caller.role() != Role.ADMIN && caller.role() != Role.SERVICE) {
            throw new ProblemException(PlatformProblem.FORBIDDEN, "Your role may not do this.");
        }
    }

    private static ProblemException notFound(String keyId) {
        return new ProblemException(GatewayProblem.GATEWAY_KEY_NOT_FOUND, "No gateway key with id '" + keyId + "'.");
    }
}
