package dev.tollgate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP client for tests: requests go through the socket, the filters and the JSON mapping. */
public final class Http {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final @Nullable String bearer;
    private final Map<String, String> headers;

    public Http(String baseUrl, @Nullable String bearer) {
        this(baseUrl, bearer, Map.of());
    }

    private Http(String baseUrl, @Nullable String bearer, Map<String, String> headers) {
        this.baseUrl = baseUrl;
        this.bearer = bearer;
        this.headers = headers;
    }

    public Http as(@Nullable String bearer) {
        return new Http(baseUrl, bearer, headers);
    }

    public Http withHeader(String name, String value) {
        var more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Http(baseUrl, bearer, more);
    }

    public Http idempotent(String key) {
        return withHeader("Idempotency-Key", key);
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, @Nullable Object body) {
        return send("POST", path, body == null ? null : json(body), "application/json");
    }

    public Response put(String path, @Nullable Object body) {
        return send("PUT", path, body == null ? null : json(body), "application/json");
    }

    public Response send(String method, String path, @Nullable String body, @Nullable String contentType) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            var response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().map());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object body) {
        return body instanceof String text ? text : JSON.writeValueAsString(body);
    }

    public record Response(int status, String contentType, String text, Map<String, java.util.List<String>> headers) {

        public JsonNode json() {
            return text.isEmpty() ? JSON.nullNode() : JSON.readTree(text);
        }

        public String code() {
            return json().path("code").asString();
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
