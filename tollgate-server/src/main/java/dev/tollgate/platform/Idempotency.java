package dev.tollgate.platform;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes a mutating call safe to retry. The work is done and its response stored under the key in one
 * transaction, so a key is never stored without the effects of its first answer, nor effects without
 * their key. The key is written last, with the response, in one statement: a concurrent retry that got
 * that far waits on the first attempt's uncommitted key, then rolls its own work back and replays the
 * first answer; a retry of a committed request does the same, or replays as soon as its work is refused
 * (an account that already exists, a reservation already committed). The same key with a different
 * request is refused with {@code idempotency_key_reused}. A retryable problem ("try again", such as
 * {@code reservation_contended}) is answered but not stored, and its effects are rolled back, so that
 * the retry it asks for runs afresh.
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final int KEY_LENGTH_MAX = 255;

    private static final String STORE_RESPONSE = Sql.file(Idempotency.class, "store-response.sql");

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
        for (int attempt = 1; ; attempt++) {
            var tryAgain = new AtomicReference<ResponseEntity<?>>();
            ResponseEntity<?> answer;
            try {
                answer = transactions.execute(status -> {
                    var response = action.get();
                    if (isRetryableProblem(response)) {
                        // "Try again" is no answer to remember: the retry with this key must run afresh.
                        status.setRollbackOnly();
                        tryAgain.set(response);
                        return null;
                    }
                    var stored = storedWith(scope, key, fingerprint, path, response);
                    if (stored == null) {
                        status.setRollbackOnly();
                    }
                    return stored;
                });
            } catch (RuntimeException refused) {
                return replayOrRethrow(refused, scope, key, fingerprint);
            }
            if (answer != null) {
                return answer;
            }
            var first = stored(scope, key);
            if (first != null) {
                return replay(first, fingerprint);
            }
            if (tryAgain.get() != null) {
                return tryAgain.get();
            }
            // The key that was taken has been purged by retention since: the request is new again, once.
            if (attempt == 2) {
                throw new IllegalStateException("Idempotency key " + scope + "/" + key + " conflicted twice "
                        + "and was gone both times");
            }
        }
    }

    /** A retry whose work was refused replays the first answer if there is one; otherwise it fails as refused. */
    private ResponseEntity<?> replayOrRethrow(RuntimeException refused, String scope, String key, String fingerprint) {
        StoredResponse first;
        try {
            first = stored(scope, key);
        } catch (RuntimeException lookup) {
            refused.addSuppressed(lookup);
            throw refused;
        }
        if (first == null) {
            throw refused;
        }
        return replay(first, fingerprint);
    }

    private static boolean isRetryableProblem(ResponseEntity<?> response) {
        return response.getBody() instanceof ProblemDetail problem
                && problem.getProperties() != null
                && Boolean.TRUE.equals(problem.getProperties().get("retryable"));
    }

    /**
     * Stores the response under the key and returns it as sent, or returns null when another attempt
     * holds the key (its transaction committed first).
     */
    private @Nullable ResponseEntity<?> storedWith(
            String scope, String key, String fingerprint, String path, ResponseEntity<?> response) {
        if (response.getBody() instanceof ProblemDetail problem && problem.getInstance() == null) {
            // Set here, as MVC would, so that the stored body and its replays are identical.
            problem.setInstance(URI.create(path));
        }
        // Serialized once: the stored text is also what this first answer sends, byte for byte as its replays.
        var given = response.getHeaders().getContentType();
        MediaType type = given == null ? MediaType.APPLICATION_JSON : given;
        String body = response.getBody() == null ? null : json.writeValueAsString(response.getBody());
        int stored = jdbc.sql(STORE_RESPONSE)
                .param("scope", scope)
                .param("key", key)
                .param("hash", fingerprint)
                .param("status", response.getStatusCode().value())
                .param("type", type.toString())
                .param("body", body)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        if (stored == 0) {
            return null;
        }
        if (body == null) {
            return response;
        }
        return ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .contentType(type)
                .body(body);
    }

    private @Nullable StoredResponse stored(String scope, String key) {
        return jdbc.sql("""
                        SELECT request_hash, response_status, response_body, response_type
                          FROM idempotency_record
                         WHERE scope = :scope AND idempotency_key = :key
                        """)
                .param("scope", scope)
                .param("key", key)
                .query((rs, row) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getString(4)))
                .optional()
                .orElse(null);
    }

    private static ResponseEntity<?> replay(StoredResponse stored, String fingerprint) {
        if (!stored.requestHash().equals(fingerprint)) {
            throw new ProblemException(PlatformProblem.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used with a different request.");
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

    private record StoredResponse(String requestHash, int status, @Nullable String body, String contentType) {}
}
