package dev.tollgate.billing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stripe's API as far as Checkout and the Billing Portal go, on 127.0.0.1: it answers
 * {@code POST /v1/checkout/sessions} and {@code POST /v1/billing_portal/sessions} with Stripe's session
 * objects, records every form it was sent, and serves the hosted pages its sessions' URLs point to.
 */
public final class FakeStripeApi implements AutoCloseable {

    /** One call: its path and its form, the keys as Stripe encodes them ({@code line_items[0][price]}). */
    public record Call(String path, Map<String, String> form) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private FakeStripeApi(HttpServer server) {
        this.server = server;
    }

    public static FakeStripeApi start() {
        try {
            var fake = new FakeStripeApi(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            fake.server.createContext("/v1/checkout/sessions", fake::checkoutSession);
            fake.server.createContext("/v1/billing_portal/sessions", fake::portalSession);
            fake.server.createContext("/c/pay/", exchange -> fake.hostedPage(exchange, "Stripe Checkout"));
            fake.server.createContext("/p/session/", exchange -> fake.hostedPage(exchange, "Stripe Billing Portal"));
            fake.server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void checkoutSession(HttpExchange exchange) throws IOException {
        var form = record(exchange);
        String id = StripePayloads.id("cs");
        String customer = form.get("customer");
        respond(exchange, 200, "application/json", """
                {
                  "id": "%s",
                  "object": "checkout.session",
                  "client_reference_id": "%s",
                  "currency": %s,
                  "customer": %s,
                  "livemode": false,
                  "metadata": {"account_id": "%s"},
                  "mode": "%s",
                  "payment_status": "unpaid",
                  "status": "open",
                  "success_url": "%s",
                  "cancel_url": "%s",
                  "url": "%s/c/pay/%s"
                }""".formatted(id, form.get("client_reference_id"),
                "payment".equals(form.get("mode")) ? "\"usd\"" : "null",
                customer == null ? "null" : "\"" + customer + "\"", form.get("metadata[account_id]"),
                form.get("mode"), form.get("success_url"), form.get("cancel_url"), base(), id));
    }

    private void portalSession(HttpExchange exchange) throws IOException {
        var form = record(exchange);
        String id = StripePayloads.id("bps");
        respond(exchange, 200, "application/json", """
                {
                  "id": "%s",
                  "object": "billing_portal.session",
                  "customer": "%s",
                  "livemode": false,
                  "return_url": "%s",
                  "url": "%s/p/session/%s"
                }""".formatted(id, form.get("customer"), form.get("return_url"), base(), id));
    }

    private void hostedPage(HttpExchange exchange, String title) throws IOException {
        respond(exchange, 200, "text/html; charset=utf-8",
                "<!DOCTYPE html><html><head><title>" + title + "</title></head><body><h1>" + title
                        + "</h1></body></html>");
    }

    private Map<String, String> record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var form = new LinkedHashMap<String, String>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        calls.add(new Call(exchange.getRequestURI().getPath(), form));
        return form;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Request-Id", "req_" + Long.toString(System.nanoTime(), 36));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
