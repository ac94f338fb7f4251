package dev.tollgate.platform.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ApiKeyApi {

    private final ApiKeys keys;

    ApiKeyApi(ApiKeys keys) {
        this.keys = keys;
    }

    record CreateKeyRequest(@NotBlank @Size(max = 200) String name, @NotNull String role) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyResponse(String id, String name, String role, String prefix, Instant createdAt,
            @Nullable Instant revokedAt, @Nullable String secret) {

        static KeyResponse of(ApiKey key, @Nullable String secret) {
            return new KeyResponse(key.id(), key.name(), key.role().wireName(), key.prefix(), key.createdAt(),
                    key.revokedAt(), secret);
        }

        @Override
        public String toString() {
            return "KeyResponse[id=" + id + ", role=" + role + "]";
        }
    }

    @PostMapping("/v1/api-keys")
    ResponseEntity<KeyResponse> create(@RequestBody @Valid CreateKeyRequest request) {
        Role role;
        try {
            role = Role.ofKeyRole(request.role());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(PlatformProblem.VALIDATION_FAILED, "role: must be one of admin, service, read",
                    java.util.Map.of("field", "role"));
        }
        var created = keys.create(request.name(), role);
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyResponse.of(created.key(), created.secret()));
    }

    @GetMapping("/v1/api-keys")
    Page<KeyResponse> list(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        int size = Page.size(limit);
        var found = keys.list(size + 1, cursor == null ? "" : cursor);
        return Page.of(found.stream().map(key -> KeyResponse.of(key, null)).toList(), size, KeyResponse::id);
    }

    @DeleteMapping("/v1/api-keys/{id}")
    KeyResponse revoke(@PathVariable String id) {
        return keys.revoke(id)
                .map(key -> KeyResponse.of(key, null))
                .orElseThrow(() -> new ProblemException(PlatformProblem.NOT_FOUND, "No API key with id " + id + "."));
    }
}
