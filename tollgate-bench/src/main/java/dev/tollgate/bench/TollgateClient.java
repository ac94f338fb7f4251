package dev.tollgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tollgate's HTTP API as the bench uses it, with the admin key. One instance (one connection pool) is
 * shared by all clients of a run, as one application server would share its client.
 */
final class TollgateClient implements AutoCloseable {

    private static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);
    private static final Timeout REQUEST_TIMEOUT = Timeout.ofSeconds(30);
    private static final Timeout RECORD_MONTHS_TIMEOUT = Timeout.ofMinutes(15);
    /** As many as a run may have clients, so that a client never waits for a connection. */
    private static final int CONNECTIONS_PER_NODE = Options.CLIENTS_MAX;
    private static final int BATCH_SIZE_MAX = 10_000;

    private final CloseableHttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String authorization;

    TollgateClient(String adminKey) {
        this.authorization = "Bearer " + adminKey;
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(CONNECTIONS_PER_NODE)
                .setMaxConnTotal(2 * CONNECTIONS_PER_NODE)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(CONNECT_TIMEOUT)
                        .setSocketTimeout(REQUEST_TIMEOUT)
                        .build())
                .build();
        // Every call is sent exactly once: a retried POST would hide the failure the bench exists to count.
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(REQUEST_TIMEOUT).build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /** The answer to one call: its status and its parsed body (a missing node when there is none). */
    record Reply(int status, JsonNode body, String text) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String code() {
            return body.path("code").asString("");
        }

        Reply orThrow(String what) {
            if (!ok()) {
                throw new CycleFailure(what + " answered " + status + ": " + abbreviate(text));
            }
            return this;
        }
    }

    Reply send(URI node, String method, String path, Object body, String idempotencyKey)
            throws IOException, InterruptedException {
        return execute(new HttpUriRequestBase(method, node.resolve(path)), body, idempotencyKey);
    }

    private Reply execute(HttpUriRequestBase request, Object body, String idempotencyKey) throws IOException {
        request.setHeader("Authorization", authorization);
        request.setHeader("Accept", "application/json");
        if (body != null) {
            request.setEntity(new ByteArrayEntity(json.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
        }
        if (idempotencyKey != null) {
            request.setHeader("Idempotency-Key", idempotencyKey);
        }
        return http.execute(request, response -> {
            String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            JsonNode parsed = text.isBlank() ? json.missingNode() : parse(text);
            return new Reply(response.getCode(), parsed, text);
        });
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (RuntimeException notJson) {
            return json.missingNode();
        }
    }

    /** Creates or updates a plan whose allowance the bench's load never reaches. */
    void putPlan(URI node, String code, long tokensPerPeriod) throws IOException, InterruptedException {
        var plan = new LinkedHashMap<String, Object>();
        plan.put("name", "Bench " + code);
        plan.put("price_usd", "0.000000");
        plan.put("period", "P1M");
        plan.put("trial_days", 0);
        plan.put("tokens_per_period", tokensPerPeriod);
        plan.put("conversations_per_period", null);
        plan.put("credits_per_request", 0);
        plan.put("charges_balance", false);
        send(node, "PUT", "/v1/plans/" + code, plan, null).orThrow("PUT /v1/plans/" + code);
    }

    /** Sets a model's price, so that commits compute a real cost. */
    Reply putPrice(URI node, String provider, String model, String inputPer1kUsd, String outputPer1kUsd)
            throws IOException, InterruptedException {
        return send(node, "PUT", "/v1/prices/" + provider + "/" + model,
                Map.of("input_per_1k_usd", inputPer1kUsd, "output_per_1k_usd", outputPer1kUsd), null);
    }

    /** Creates the accounts on a plan, in batches of at most 10,000. */
    void createAccounts(URI node, List<String> ids, String plan) throws IOException, InterruptedException {
        for (int from = 0; from < ids.size(); from += BATCH_SIZE_MAX) {
            var batch = new ArrayList<Map<String, Object>>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + BATCH_SIZE_MAX))) {
                batch.add(Map.of("id", id, "plan", plan));
            }
            send(node, "POST", "/v1/accounts/batch", Map.of("accounts", batch), null).orThrow("POST /v1/accounts/batch");
        }
    }

    /** Creates accounts given as the batch API takes them (id, plan, email ...), in batches of at most 10,000. */
    void createAccounts(URI node, List<Map<String, Object>> accounts) throws IOException, InterruptedException {
        for (int from = 0; from < accounts.size(); from += BATCH_SIZE_MAX) {
            var batch = accounts.subList(from, Math.min(accounts.size(), from + BATCH_SIZE_MAX));
            send(node, "POST", "/v1/accounts/batch", Map.of("accounts", batch), null).orThrow("POST /v1/accounts/batch");
        }
    }

    void createAccount(URI node, String id, String plan) throws IOException, InterruptedException {
        send(node, "POST", "/v1/accounts", Map.of("id", id, "plan", plan), null).orThrow("POST /v1/accounts");
    }

    void putAllowance(URI node, String accountId, long tokensPerPeriod) throws IOException, InterruptedException {
        send(node, "PUT", "/v1/accounts/" + accountId + "/allowance", Map.of("tokens_per_period", tokensPerPeriod), null)
                .orThrow("PUT /v1/accounts/" + accountId + "/allowance");
    }

    JsonNode account(URI node, String accountId) throws IOException, InterruptedException {
        return send(node, "GET", "/v1/accounts/" + accountId, null, null).orThrow("GET /v1/accounts/" + accountId).body();
    }

    JsonNode reconciliation(URI node) throws IOException, InterruptedException {
        return send(node, "GET", "/v1/admin/reconciliation", null, null).orThrow("GET /v1/admin/reconciliation").body();
    }

    /** The first page of an account's ledger, newest first, as the API serves it. */
    Reply ledgerPage(URI node, String accountId) throws IOException, InterruptedException {
        return send(node, "GET", "/v1/accounts/" + accountId + "/ledger", null, null);
    }

    /** The reconciliation of one account. */
    Reply reconciliation(URI node, String accountId) throws IOException, InterruptedException {
        return send(node, "GET", "/v1/admin/reconciliation?account_id=" + accountId, null, null);
    }

    /**
     * Records the ledger totals of every closed month now (what the server's job does every 10 minutes). With
     * months of history loaded at once it sums millions of entries, far longer than any metering call may take.
     */
    JsonNode recordMonths(URI node) throws IOException, InterruptedException {
        var request = new HttpUriRequestBase("POST", node.resolve("/v1/admin/ledger-months"));
        request.setConfig(RequestConfig.custom().setResponseTimeout(RECORD_MONTHS_TIMEOUT).build());
        return execute(request, null, null).orThrow("POST /v1/admin/ledger-months").body();
    }

    Reply usageByDay(URI node, String accountId, Instant from, Instant to) throws IOException, InterruptedException {
        return send(node, "GET", "/v1/accounts/" + accountId + "/usage?group_by=day&from=" + encode(from) + "&to="
                + encode(to), null, null);
    }

    /** Opens a portal link (without following its redirect) and returns the session cookie it set. */
    String openPortal(URI node, String linkUrl) throws IOException {
        var request = new HttpUriRequestBase("GET", node.resolve(URI.create(linkUrl).getRawPath()));
        return http.execute(request, response -> {
            EntityUtils.consume(response.getEntity());
            for (var header : response.getHeaders("Set-Cookie")) {
                if (header.getValue().startsWith("tollgate_portal=")) {
                    return header.getValue().substring(0, header.getValue().indexOf(';'));
                }
            }
            throw new CycleFailure("the portal link answered " + response.getCode() + " without a session cookie");
        });
    }

    /**
     * Signs in to the console as a browser does: the login form (its CSRF cookie and hidden token), then the
     * key posted once. Returns the Cookie header that the console's pages need from then on.
     */
    String consoleSession(URI node, String key) throws IOException {
        var form = new HttpUriRequestBase("GET", node.resolve("/console/login"));
        String[] csrf = http.execute(form, response -> {
            String html = EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            var token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
            if (!token.find()) {
                throw new CycleFailure("the console's login form answered " + response.getCode() + " without a CSRF token");
            }
            return new String[] {cookie(response, "tollgate_console_csrf"), token.group(1)};
        });
        var login = new HttpUriRequestBase("POST", node.resolve("/console/login"));
        login.setHeader("Cookie", csrf[0]);
        login.setEntity(new ByteArrayEntity(("key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(csrf[1], StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                ContentType.APPLICATION_FORM_URLENCODED));
        String session = http.execute(login, response -> {
            EntityUtils.consume(response.getEntity());
            if (response.getCode() != 302) {
                throw new CycleFailure("signing in to the console answered " + response.getCode());
            }
            return cookie(response, "tollgate_console");
        });
        return session + "; " + csrf[0];
    }

    private static String cookie(org.apache.hc.core5.http.HttpResponse response, String name) {
        for (var header : response.getHeaders("Set-Cookie")) {
            if (header.getValue().startsWith(name + "=")) {
                return header.getValue().substring(0, header.getValue().indexOf(';'));
            }
        }
        throw new CycleFailure("no " + name + " cookie in the answer (" + response.getCode() + ")");
    }

    /** A page as a browser with this cookie gets it: no key, HTML accepted. */
    Reply page(URI node, String path, String cookie) throws IOException {
        var request = new HttpUriRequestBase("GET", node.resolve(path));
        request.setHeader("Cookie", cookie);
        request.setHeader("Accept", "text/html");
        return http.execute(request, response -> {
            String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            return new Reply(response.getCode(), json.missingNode(), text);
        });
    }

    private static String encode(Instant instant) {
        return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
    }

    /** A client of the load: reserves and commits over HTTP against one node. */
    CycleTarget cycles(URI node, String provider, String model) {
        return new CycleTarget() {
            @Override
            public Outcome reserve(Request request, String idempotencyKey) throws IOException, InterruptedException {
                var body = new LinkedHashMap<String, Object>();
                body.put("account_id", request.accountId());
                body.put("provider", provider);
                body.put("model", model);
                body.put("input_tokens", request.inputTokens());
                body.put("max_output_tokens", request.maxOutputTokens());
                var reply = send(node, "POST", "/v1/reservations", body, idempotencyKey);
                if (reply.status() == 201) {
                    return new Outcome.Approved(reply.body().path("id").asString());
                }
                if (reply.status() == 402) {
                    return new Outcome.Denied(reply.code());
                }
                throw new CycleFailure("reserve answered " + reply.status() + ": " + abbreviate(reply.text()));
            }

            @Override
            public void commit(String reservationId, long inputTokens, long outputTokens, String idempotencyKey)
                    throws IOException, InterruptedException {
                send(node, "POST", "/v1/reservations/" + reservationId + "/commit",
                        Map.of("input_tokens", inputTokens, "output_tokens", outputTokens), idempotencyKey)
                        .orThrow("commit");
            }
        };
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
