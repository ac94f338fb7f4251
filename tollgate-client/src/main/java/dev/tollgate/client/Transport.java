package dev.tollgate.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * One HTTP exchange per try, retried under the {@link RetryPolicy}. A logical call that moves value gets
 * one Idempotency-Key, generated here and sent again on each of its retries.
 */
final class Transport {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpClient http;
    private final URI baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final RetryPolicy retry;

    Transport(HttpClient http, URI baseUrl, String apiKey, Duration requestTimeout, RetryPolicy retry) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.authorization = "Bearer " + apiKey;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
    }

    HttpClient http() {
        return http;
    }

    URI uri(String pathAndQuery) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
    }

    String authorization() {
        return authorization;
    }

    String get(String path) {
        return exchange("GET", path, null, null, true);
    }

    /** A POST that creates or moves value: a fresh key for this call, the same key on its retries. */
    String post(String path, Object body) {
        return exchange("POST", path, body, UUID.randomUUID().toString(), true);
    }

    /** A POST with a key the caller keeps, for work that may be sent again later (fail-open's backlog). */
    String post(String path, Object body, String idempotencyKey) {
        return exchange("POST", path, body, idempotencyKey, true);
    }

    /**
     * A POST Tollgate does not deduplicate (a plan change starts a new period each time): tried again
     * only when it certainly did nothing, that is when no connection was made or Tollgate said "try again".
     */
    String postOnce(String path, Object body) {
        return exchange("POST", path, body, null, false);
    }

    String put(String path, Object body) {
        return exchange("PUT", path, body, null, true);
    }

    String delete(String path) {
        return exchange("DELETE", path, null, null, true);
    }

    private String exchange(String method, String path, Object body, String idempotencyKey, boolean repeatable) {
        HttpRequest request = request(method, path, body, idempotencyKey);
        TollgateException last = null;
        for (int attempt = 1; attempt <= retry.attemptsMax(); attempt++) {
            if (attempt > 1) {
                pause(retry.backoff(attempt - 1));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException unreachable) {
                // Refused, reset or timed out: the request may or may not have been done; the key makes a retry safe.
                last = new TollgateUnavailableException(method + " " + path + " failed: " + unreachable, unreachable);
                if (!repeatable && !neverSent(unreachable)) {
                    throw last;
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TollgateUnavailableException(method + " " + path + " was interrupted", e);
            }
            if (response.statusCode() < 400) {
                return response.body();
            }
            Problem problem = Problem.parse(response.statusCode(), response.body());
            if (!isRetryable(problem)) {
                throw new TollgateProblemException(problem);
            }
            last = new TollgateUnavailableException(method + " " + path + " answered " + problem.code(),
                    new TollgateProblemException(problem));
        }
        throw last;
    }

    private static boolean neverSent(IOException failure) {
        return failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException;
    }

    /** "Try again" answers: Tollgate's own flag, and the statuses a proxy or a restarting node gives. */
    private static boolean isRetryable(Problem problem) {
        return problem.retryable() || problem.status() == 502 || problem.status() == 503 || problem.status() == 504;
    }

    private HttpRequest request(String method, String path, Object body, String idempotencyKey) {
        var builder = HttpRequest.newBuilder(uri(path))
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json, application/problem+json");
        if (idempotencyKey != null) {
            builder.header(IDEMPOTENCY_KEY, idempotencyKey);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TollgateUnavailableException("interrupted while waiting to retry", e);
        }
    }
}
