package dev.tollgate.event;

import dev.tollgate.TollgateNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.IntegrationTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhook delivery end to end: real Tollgate nodes on the shared database post to a real receiver
 * that verifies every signature itself. The suite's shared node stops dispatching while a test runs,
 * so that the nodes each test starts (with short retry delays) are the only senders.
 */
class WebhookTests extends IntegrationTest {

    private static final Map<String, Object> FAST = Map.of(
            "tollgate.webhooks.retry-delays", "300ms,300ms,300ms",
            "tollgate.webhooks.poll-interval", "100ms",
            "tollgate.webhooks.connect-timeout", "1s",
            "tollgate.webhooks.read-timeout", "2s",
            "tollgate.webhooks.lease", "10s");

    @Autowired
    Events events;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    WebhookDispatcher sharedDispatcher;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> endpoints = new ArrayList<>();

    @BeforeEach
    void onlyTheNodesOfThisTestDeliver() {
        sharedDispatcher.stop();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String endpoint : endpoints) {
            admin.delete("/v1/webhook-endpoints/" + endpoint);
        }
        for (var resource : resources.reversed()) {
            resource.close();
        }
        sharedDispatcher.start();
    }

    @Test
    void an_endpoint_is_registered_with_a_secret_shown_once() {
        var created = admin.post("/v1/webhook-endpoints", Map.of("url", "https://example.com/hooks",
                "event_types", List.of("usage.committed", "threshold.crossed"), "description", "billing"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("id").asString();
        String secret = created.json().path("secret").asString();
        endpoints.add(id);
        assertThat(id).startsWith("we_");
        assertThat(secret).startsWith("whsec_");
        assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);

        var fetched = admin.get("/v1/webhook-endpoints/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().path("url").asString()).isEqualTo("https://example.com/hooks");
        assertThat(fetched.json().path("event_types").toString()).isEqualTo("[\"usage.committed\",\"threshold.crossed\"]");
        assertThat(fetched.text()).doesNotContain(secret).doesNotContain("\"secret\"");
        var listed = admin.get("/v1/webhook-endpoints?limit=200");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).contains(id).doesNotContain(secret);

        assertThat(admin.delete("/v1/webhook-endpoints/" + id).status()).isEqualTo(204);
        var gone = admin.get("/v1/webhook-endpoints/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.code()).isEqualTo("webhook_endpoint_not_found");
        assertThat(admin.delete("/v1/webhook-endpoints/" + id).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/hooks", "example.com/hooks", "http:///hooks", "javascript:alert(1)",
            "https://user:pass@example.com/hooks", "https://example.com/ hooks", ""})
    void an_endpoint_url_must_be_a_plain_http_or_https_url(String url) {
        var response = admin.post("/v1/webhook-endpoints", Map.of("url", url));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.json().path("field").asString()).isEqualTo("url");
    }

    @Test
    void overlong_urls_and_bad_event_types_are_refused() {
        var longUrl = admin.post("/v1/webhook-endpoints", Map.of("url", "https://example.com/" + "a".repeat(2048)));
        assertThat(longUrl.status()).isEqualTo(400);
        assertThat(longUrl.json().path("field").asString()).isEqualTo("url");
        var badType = admin.post("/v1/webhook-endpoints",
                Map.of("url", "https://example.com/hooks", "event_types", List.of("Usage Committed")));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().path("field").asString()).isEqualTo("event_types");
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "read"})
    void only_admins_manage_endpoints(String role) {
        var caller = http.as(keyWithRole(role));
        assertThat(caller.post("/v1/webhook-endpoints", Map.of("url", "https://example.com/h")).status())
                .isEqualTo(403);
        assertThat(caller.get("/v1/webhook-endpoints").status()).isEqualTo(403);
    }

    @Test
    void every_event_arrives_signed_once_and_in_order_across_failures_and_a_restart() throws Exception {
        var receiver = receiver();
        receiver.failRequests(n -> n <= 3);
        // Slow enough retries that the first node is stopped while deliveries are still pending.
        var slowRetries = new HashMap<>(FAST);
        slowRetries.put("tollgate.webhooks.retry-delays", "700ms");
        var first = TollgateNode.start(slowRetries);
        String endpoint = register(receiver, List.of());
        String alice = unique("alice");
        String bob = unique("bob");
        List<Long> expected = new ArrayList<>();

        expected.addAll(scenarioPart(alice, bob, 1));
        awaitTrue(Duration.ofSeconds(10), () -> receiver.requests().size() >= 2);
        first.close();
        long pending = sql.sql("SELECT count(*) FROM webhook_delivery WHERE endpoint_id = :e AND status = 'pending'")
                .param("e", endpoint).query(Long.class).single();
        assertThat(pending).as("deliveries left when the first node stopped").isPositive();
        // Events written while no node delivers are kept and sent by the next node.
        expected.addAll(scenarioPart(alice, bob, 2));

        var second = TollgateNode.start(FAST);
        resources.add(second);
        expected.addAll(scenarioPart(alice, bob, 3));
        awaitTrue(Duration.ofSeconds(30), () -> receiver.acceptedCounts().keySet().size() >= expected.size());

        var requests = receiver.requests();
        assertThat(requests).allSatisfy(request -> assertThat(request.verified()).isTrue());
        assertThat(requests.stream().filter(request -> !request.accepted()).count()).isEqualTo(3);
        var accepted = receiver.accepted();
        assertThat(accepted.stream().map(WebhookReceiver.Request::webhookId).distinct().sorted())
                .containsExactlyElementsOf(expected.stream().sorted().map(id -> "evt_" + id).toList());
        // Per account, each event went out only after the previous one was accepted.
        Map<String, List<Long>> perAccount = new LinkedHashMap<>();
        for (var request : accepted) {
            perAccount.computeIfAbsent(request.json().path("account_id").asString(), a -> new ArrayList<>())
                    .add(request.eventId());
        }
        assertThat(perAccount.keySet()).containsExactlyInAnyOrder(alice, bob);
        perAccount.values().forEach(ids -> assertThat(ids).isSortedAccordingTo(Comparator.naturalOrder()));

        var body = accepted.getFirst().json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("id", "type", "account_id", "data", "created_at");
        var deliveries = admin.get("/v1/webhook-endpoints/" + endpoint + "/deliveries?limit=200").json().path("data");
        assertThat(deliveries.size()).isEqualTo(expected.size());
        deliveries.forEach(delivery -> assertThat(delivery.path("status").asString()).isEqualTo("succeeded"));
        int attempts = 0;
        for (var delivery : deliveries) {
            attempts += delivery.path("attempts").asInt();
        }
        assertThat(attempts).isEqualTo(expected.size() + 3);
    }

    @Test
    void two_nodes_deliver_a_burst_of_1000_events_each_exactly_once() throws Exception {
        var receiver = receiver();
        var first = TollgateNode.start(FAST);
        resources.add(first);
        var second = TollgateNode.start(FAST);
        resources.add(second);
        register(receiver, List.of());
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accounts.add(unique("burst"));
        }

        // The burst: 1,000 events of 20 accounts committed at once, as a busy minute would leave them.
        long started = System.nanoTime();
        List<Long> expected = transactions.execute(status -> {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                ids.add(events.append(accounts.get(i % accounts.size()), EventType.USAGE_COMMITTED,
                        Map.of("input_tokens", i)));
            }
            return ids;
        });
        long committed = System.nanoTime();
        awaitTrue(Duration.ofSeconds(60), () -> receiver.accepted().size() >= expected.size());
        long delivered = System.nanoTime();
        // Anything sent twice would arrive within this grace period.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> receiver.acceptedCounts().values().stream().allMatch(count -> count == 1));

        var counts = receiver.acceptedCounts();
        assertThat(counts).hasSize(1000);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected.stream().map(id -> "evt_" + id).toList());
        assertThat(counts.values()).allMatch(count -> count == 1);
        assertThat(receiver.requests()).hasSize(1000).allMatch(WebhookReceiver.Request::verified);
        System.out.printf("BURST: 1000 events appended and committed in %d ms; two nodes delivered them all %d ms "
                        + "after the commit (%.0f deliveries/s)%n", (committed - started) / 1_000_000,
                (delivered - committed) / 1_000_000, 1000 / ((delivered - committed) / 1e9));
    }

    @Test
    void a_delivery_that_keeps_failing_is_marked_failed_and_can_be_retried_by_an_admin() throws Exception {
        var receiver = receiver();
        receiver.failRequests(n -> true);
        var properties = new HashMap<>(FAST);
        properties.put("tollgate.webhooks.max-attempts", "3");
        resources.add(TollgateNode.start(properties));
        String endpoint = register(receiver, List.of());
        String account = unique("failing");
        long first = append(account, EventType.THRESHOLD_CROSSED, Map.of("threshold_percent", 80));
        long second = append(account, EventType.THRESHOLD_CROSSED, Map.of("threshold_percent", 90));

        awaitTrue(Duration.ofSeconds(20), () -> statusOf(endpoint, second).equals("failed"));
        var deliveries = admin.get("/v1/webhook-endpoints/" + endpoint + "/deliveries").json().path("data");
        assertThat(deliveries.size()).isEqualTo(2);
        var failed = deliveries.get(1);
        assertThat(failed.path("event_id").asString()).isEqualTo("evt_" + first);
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("attempts").asInt()).isEqualTo(3);
        assertThat(failed.path("last_http_status").asInt()).isEqualTo(503);
        assertThat(failed.path("last_error").asString()).isEqualTo("HTTP 503");
        assertThat(failed.path("next_attempt_at").isNull()).isTrue();
        assertThat(receiver.requests()).hasSize(6);

        receiver.failRequests(n -> false);
        String deliveryId = failed.path("id").asString();
        var retried = admin.post("/v1/webhook-endpoints/" + endpoint + "/deliveries/" + deliveryId + "/retry", null);
        assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
        assertThat(retried.json().path("status").asString()).isEqualTo("pending");
        awaitTrue(Duration.ofSeconds(10), () -> statusOf(endpoint, first).equals("succeeded"));
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Request::webhookId).containsExactly("evt_" + first);

        var again = admin.post("/v1/webhook-endpoints/" + endpoint + "/deliveries/" + deliveryId + "/retry", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("webhook_delivery_not_failed");
        var missing = admin.post("/v1/webhook-endpoints/" + endpoint + "/deliveries/dlv_999999999/retry", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("webhook_delivery_not_found");
    }

    @Test
    void an_attempt_that_gets_no_answer_in_time_is_failed_and_retried() throws Exception {
        var receiver = receiver();
        receiver.answerAfter(Duration.ofSeconds(5));
        var properties = new HashMap<>(FAST);
        properties.put("tollgate.webhooks.max-attempts", "2");
        resources.add(TollgateNode.start(properties));
        String endpoint = register(receiver, List.of());
        long event = append(unique("slow"), EventType.USAGE_COMMITTED, Map.of());

        awaitTrue(Duration.ofSeconds(20), () -> statusOf(endpoint, event).equals("failed"));
        var delivery = admin.get("/v1/webhook-endpoints/" + endpoint + "/deliveries").json().path("data").get(0);
        assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
        assertThat(delivery.path("last_error").asString()).startsWith("timed out");
        assertThat(delivery.path("last_http_status").isNull()).isTrue();
        assertThat(receiver.requests()).hasSize(2);
    }

    @Test
    void an_endpoint_gets_only_the_event_types_it_subscribed_to() throws Exception {
        var receiver = receiver();
        resources.add(TollgateNode.start(FAST));
        register(receiver, List.of(EventType.THRESHOLD_CROSSED));
        String account = unique("typed");
        append(account, EventType.USAGE_COMMITTED, Map.of());
        long crossed = append(account, EventType.THRESHOLD_CROSSED, Map.of("threshold_percent", 100));
        append(account, EventType.RESERVATION_APPROVED, Map.of());

        awaitTrue(Duration.ofSeconds(10), () -> !receiver.accepted().isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Request::webhookId)
                .containsExactly("evt_" + crossed);
    }

    @Test
    void a_node_delivers_at_once_to_an_endpoint_registered_on_it_without_waiting_for_its_poll() throws Exception {
        var receiver = receiver();
        var slowPolls = new HashMap<String, Object>(FAST);
        slowPolls.put("tollgate.webhooks.poll-interval", "1h");
        var node = TollgateNode.start(slowPolls);
        resources.add(node);
        var created = node.admin().post("/v1/webhook-endpoints", Map.of("url", receiver.url()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.secret(created.json().path("secret").asString());
        endpoints.add(created.json().path("id").asString());

        String account = unique("at-once");
        long event = node.bean(TransactionTemplate.class)
                .execute(status -> node.bean(Events.class).append(account, EventType.USAGE_COMMITTED, Map.of()));

        awaitTrue(Duration.ofSeconds(10), () -> !receiver.accepted().isEmpty());
        assertThat(receiver.accepted()).extracting(WebhookReceiver.Request::webhookId).containsExactly("evt_" + event);
    }

    @Test
    void an_approval_on_the_one_statement_path_is_delivered_at_once_without_waiting_for_the_poll() throws Exception {
        var receiver = receiver();
        var slowPolls = new HashMap<String, Object>(FAST);
        slowPolls.put("tollgate.webhooks.poll-interval", "1h");
        var node = TollgateNode.start(slowPolls);
        resources.add(node);
        var created = node.admin().post("/v1/webhook-endpoints", Map.of("url", receiver.url(),
                "event_types", List.of("reservation.approved")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.secret(created.json().path("secret").asString());
        endpoints.add(created.json().path("id").asString());
        String account = unique("approved-at-once");
        node.admin().post("/v1/accounts", Map.of("id", account, "plan", "pro"));

        var reserved = node.admin().post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10));
        assertThat(reserved.status()).isEqualTo(201);

        awaitTrue(Duration.ofSeconds(10), () -> !receiver.accepted().isEmpty());
        node.admin().post("/v1/reservations/" + reserved.json().path("id").asString() + "/release", null);
    }

    @Test
    void deleting_an_endpoint_cancels_its_pending_deliveries() throws Exception {
        var receiver = receiver();
        String endpoint = register(receiver, List.of());
        String account = unique("deleted");
        long event = append(account, EventType.USAGE_COMMITTED, Map.of());
        assertThat(statusOf(endpoint, event)).isEqualTo("pending");

        admin.delete("/v1/webhook-endpoints/" + endpoint);
        resources.add(TollgateNode.start(FAST));
        append(account, EventType.USAGE_COMMITTED, Map.of());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> receiver.requests().isEmpty());
        assertThat(sql.sql("SELECT status FROM webhook_delivery WHERE endpoint_id = :e").param("e", endpoint)
                .query(String.class).list()).containsExactly("canceled");
    }

    /** Appends a third of a day of one account pair, each change in its own transaction. */
    private List<Long> scenarioPart(String alice, String bob, int part) {
        List<Long> ids = new ArrayList<>();
        switch (part) {
            case 1 -> {
                ids.add(append(alice, EventType.ACCOUNT_CREATED, Map.of("plan", "trial")));
                ids.add(append(bob, EventType.ACCOUNT_CREATED, Map.of("plan", "trial")));
                ids.add(append(alice, EventType.RESERVATION_APPROVED, Map.of("reservation_id", "rsv_1")));
                ids.add(append(alice, EventType.USAGE_COMMITTED, Map.of("reservation_id", "rsv_1", "total_tokens", 4900)));
                ids.add(append(alice, EventType.THRESHOLD_CROSSED, Map.of("meter", "tokens", "threshold_percent", 80)));
            }
            case 2 -> {
                ids.add(append(bob, EventType.RESERVATION_APPROVED, Map.of("reservation_id", "rsv_2")));
                ids.add(append(alice, EventType.LIMIT_ENFORCED, Map.of("code", "insufficient_tokens")));
                ids.add(append(bob, EventType.RESERVATION_RELEASED, Map.of("reservation_id", "rsv_2")));
            }
            default -> {
                ids.add(append(alice, EventType.PLAN_CHANGED, Map.of("from", "trial", "to", "pro")));
                ids.add(append(alice, EventType.PERIOD_RESET, Map.of("period_start", Instant.EPOCH.toString())));
                ids.add(append(bob, EventType.TRIAL_EXPIRED, Map.of()));
            }
        }
        return ids;
    }

    private long append(String account, String type, Map<String, ?> data) {
        return transactions.execute(status -> events.append(account, type, data));
    }

    private WebhookReceiver receiver() throws IOException {
        var receiver = new WebhookReceiver(clock);
        resources.add(receiver);
        return receiver;
    }

    private String register(WebhookReceiver receiver, List<String> eventTypes) {
        var created = admin.post("/v1/webhook-endpoints", Map.of("url", receiver.url(), "event_types", eventTypes));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.secret(created.json().path("secret").asString());
        String id = created.json().path("id").asString();
        endpoints.add(id);
        return id;
    }

    private String statusOf(String endpoint, long eventId) {
        return sql.sql("SELECT status FROM webhook_delivery WHERE endpoint_id = :e AND event_id = :id")
                .param("e", endpoint).param("id", eventId).query(String.class).single();
    }

    static void awaitTrue(Duration timeout, BooleanSupplier condition) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
