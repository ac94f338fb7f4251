package dev.tollgate.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes a mutating call safe to retry. The key is claimed, the work is done and the response is stored
 * in one transaction, so a retry either waits for the first attempt and replays its response, or (if
 * the first attempt failed and changed nothing) runs again. The same key with a different request is
 * refused with {@code idempotency_key_reused}.
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final int KEY_LENGTH_MAX = 255;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    Idempotency(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Runs {@code action} once per (scope, key). Business rejections that must be remembered (a denied
     * reservation records an event) are returned as problem responses by the action, not thrown: a
     * thrown exception rolls the whole attempt back, key included.
     */
    public ResponseEntity<?> run(
            String scope, @Nullable String key, String method, String path, @Nullable Object request,
            Supplier<ResponseEntity<?>> action) {
        if (key == null) {
            return action.get();
        }
        if (key.isBlank() || key.length() > KEY_LENGTH_MAX) {
            throw new ProblemException(PlatformProblem.VALIDATION_FAILED,
                    "Idempotency-Key must be 1 to " + KEY_LENGTH_MAX + " characters.",
                    Map.of("field", HEADER));
        }
        String fingerprint = fingerprint(method, path, request);
        return transactions.execute(status -> {
            int claimed = jdbc.sql("""
                            INSERT INTO idempotency_record (scope, idempotency_key, request_hash, created_at)
                            VALUES (:scope, :key, :hash, :now)
                            ON CONFLICT (scope, idempotency_key) DO NOTHING
                            """)
                    .param("scope", scope)
                    .param("key", key)
                    .param("hash", fingerprint)
                    .param("now", java.sql.Timestamp.from(clock.instant()))
                    .update();
            if (claimed == 0) {
                return replay(scope, key, fingerprint);
            }
            ResponseEntity<?> response = action.get();
            if (response.getBody() instanceof org.springframework.http.ProblemDetail problem
                    && problem.getInstance() == null) {
                // Set here, as MVC would, so that the stored body and its replays are identical.
                problem.setInstance(java.net.URI.create(path));
            }
            var contentType = response.getHeaders().getContentType();
            jdbc.sql("""
                            UPDATE idempotency_record
                               SET response_status = :status, response_body = :body, response_type = :type
                             WHERE scope = :scope AND idempotency_key = :key
                            """)
                    .param("status", response.getStatusCode().value())
                    .param("body", response.getBody() == null ? null : json.writeValueAsString(response.getBody()))
                    .param("type", contentType == null ? MediaType.APPLICATION_JSON_VALUE : contentType.toString())
                    .param("scope", scope)
                    .param("key", key)
                    .update();
            return response;
        });
    }

    private ResponseEntity<?> replay(String scope, String key, String fingerprint) {
        var stored = jdbc.sql("""
                        SELECT request_hash, response_status, response_body, response_type
                          FROM idempotency_record
                         WHERE scope = :scope AND idempotency_key = :key
                        """)
                .param("scope", scope)
                .param("key", key)
                .query((rs, row) -> new StoredResponse(rs.getString(1), (Integer) rs.getObject(2), rs.getString(3),
                        rs.getString(4)))
                .single();
        if (!stored.requestHash().equals(fingerprint)) {
            throw new ProblemException(PlatformProblem.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used with a different request.");
        }
        if (stored.status() == null) {
            throw new ProblemException(PlatformProblem.IDEMPOTENCY_KEY_IN_USE,
                    "A request with this Idempotency-Key is still being processed.");
        }
        var response = ResponseEntity.status(HttpStatus.valueOf(stored.status()))
                .header("Idempotent-Replayed", "true");
        if (stored.body() == null) {
            return response.build();
        }
        return response.contentType(MediaType.parseMediaType(stored.contentType())).body(stored.body());
    }

    private String fingerprint(String method, String path, @Nullable Object request) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            if (request != null) {
                digest.update(json.writeValueAsBytes(request));
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private record StoredResponse(String requestHash, @Nullable Integer status, @Nullable String body,
            String contentType) {}
}
