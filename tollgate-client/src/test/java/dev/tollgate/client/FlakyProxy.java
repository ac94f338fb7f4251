package dev.tollgate.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP hop between the client and Tollgate that can lose answers: it forwards a request, lets
 * Tollgate do the work, then drops the connection without a byte of the answer, as a network fault after
 * the server's commit does. "Down", it drops every connection before forwarding, as an unreachable
 * Tollgate does.
 */
public final class FlakyProxy implements AutoCloseable {

    private final HttpServer server;
    private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final ConcurrentHashMap<String, AtomicInteger> answersToLose = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> requestsToDrop = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> requestsToRefuse = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    public FlakyProxy(String target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code count} requests whose path ends with {@code suffix} are done, but their answers are lost. */
    public void loseAnswers(String suffix, int count) {
        answersToLose.put(suffix, new AtomicInteger(count));
    }

    /** The next {@code count} requests whose path ends with {@code suffix} are dropped before Tollgate sees them. */
    public void dropRequests(String suffix, int count) {
        requestsToDrop.put(suffix, new AtomicInteger(count));
    }

    /** The next {@code count} requests whose path ends with {@code suffix} get Tollgate's own 503 "try again". */
    public void answerUnavailable(String suffix, int count) {
        requestsToRefuse.put(suffix, new AtomicInteger(count));
    }

    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** "METHOD path Idempotency-Key" of every request that reached the proxy. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path + " "
                + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (down || matches(requestsToDrop, path)) {
            exchange.close();
            return;
        }
        if (matches(requestsToRefuse, path)) {
            byte[] problem = ("{\"type\":\"https://tollgate.dev/problems/database_unavailable\",\"title\":\"Database "
                    + "unavailable\",\"status\":503,\"detail\":\"The database does not answer.\",\"code\":"
                    + "\"database_unavailable\",\"retryable\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(503, problem.length);
            try (var out = exchange.getResponseBody()) {
                out.write(problem);
            }
            return;
        }
        var builder = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Authorization", "Idempotency-Key", "Content-Type", "Accept")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = forward.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        if (matches(answersToLose, path)) {
            // No status line, no headers: the client sees the connection end, as after a reset.
            exchange.close();
            return;
        }
        answer.headers().firstValue("Content-Type")
                .ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (var out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    private static boolean matches(ConcurrentHashMap<String, AtomicInteger> rules, String path) {
        for (var rule : rules.entrySet()) {
            if (path.endsWith(rule.getKey()) && rule.getValue().getAndDecrement() > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
