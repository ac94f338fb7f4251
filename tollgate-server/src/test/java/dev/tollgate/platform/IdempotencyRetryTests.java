package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Idempotency remembers final answers only: "try again" must not become the answer to every retry. */
class IdempotencyRetryTests extends IntegrationTest {

    @Autowired
    Idempotency idempotency;

    private static ResponseEntity<?> tryAgain() {
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.detail(PlatformProblem.INTERNAL_ERROR, "Busy, try again.", Map.of()));
    }

    @Test
    void a_retryable_problem_is_not_remembered_so_the_retry_with_the_same_key_runs_again() {
        String key = unique("key");
        var runs = new AtomicInteger();
        var first = idempotency.run("test", key, "POST", "/test", Map.of("n", 1), () -> {
            runs.incrementAndGet();
            return tryAgain();
        });
        var second = idempotency.run("test", key, "POST", "/test", Map.of("n", 1), () -> {
            runs.incrementAndGet();
            return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", "done"));
        });

        assertThat(first.getStatusCode().value()).isEqualTo(409);
        assertThat(second.getStatusCode().value()).isEqualTo(201);
        assertThat(runs).hasValue(2);
        var replay = idempotency.run("test", key, "POST", "/test", Map.of("n", 1), () -> {
            runs.incrementAndGet();
            return tryAgain();
        });
        assertThat(replay.getStatusCode().value()).isEqualTo(201);
        assertThat(replay.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.getBody()).isEqualTo(second.getBody());
    }
}
