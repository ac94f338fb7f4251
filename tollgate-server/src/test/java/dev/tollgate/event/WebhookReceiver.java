package dev.tollgate.event;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real webhook receiver on 127.0.0.1 that checks every request the way the Standard Webhooks
 * specification tells receivers to, with its own implementation (not Tollgate's signer).
 */
final class WebhookReceiver implements AutoCloseable {

    /** The timestamp tolerance receivers are told to apply. */
    static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Clock clock;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile IntPredicate failRequest = n -> false;
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile String secret = "";

    WebhookReceiver(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    void secret(String secret) {
        this.secret = secret;
    }

    /** Answers 503 to the requests (numbered from 1 in arrival order) that {@code fail} picks. */
    void failRequests(IntPredicate fail) {
        this.failRequest = fail;
    }

    /** Waits this long before answering each request, as an overloaded receiver does. */
    void answerAfter(Duration delay) {
        this.answerDelay = delay;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests answered 2xx, in arrival order. */
    List<Request> accepted() {
        return requests.stream().filter(Request::accepted).toList();
    }

    /** How many times each webhook-id was accepted. */
    Map<String, Long> acceptedCounts() {
        return accepted().stream().collect(Collectors.groupingBy(Request::webhookId, Collectors.counting()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        int number = count.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var headers = exchange.getRequestHeaders();
        String id = String.valueOf(headers.getFirst("webhook-id"));
        String timestamp = String.valueOf(headers.getFirst("webhook-timestamp"));
        String signature = String.valueOf(headers.getFirst("webhook-signature"));
        boolean verified = verify(secret, id, timestamp, body, signature, clock.instant());
        boolean fail = failRequest.test(number) || !verified;
        int status = fail ? 503 : 204;
        requests.add(new Request(number, id, body, verified, status, clock.instant()));
        try {
            Thread.sleep(answerDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** Standard Webhooks verification, written from the specification. */
    static boolean verify(String secret, String id, String timestamp, String body, String signatureHeader,
            Instant now) {
        if (!secret.startsWith("whsec_")) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] expected;
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        List<String> candidates = new ArrayList<>(List.of(signatureHeader.split(" ")));
        for (String candidate : candidates) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    record Request(int number, String webhookId, String body, boolean verified, int status, Instant at) {
        boolean accepted() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        long eventId() {
            return Long.parseLong(webhookId.substring("evt_".length()));
        }
    }
}
