package dev.tollgate.event;

import dev.tollgate.TollgateNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.IntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

class EventStreamTests extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    Events events;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void a_stream_pushes_the_account_events_as_they_happen() throws Exception {
        String account = anAccount();
        String other = anAccount();
        try (var stream = SseClient.connect(streamUrl(port, account), ADMIN_KEY, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            long first = append(account, EventType.RESERVATION_APPROVED, Map.of("reservation_id", "rsv_1"));
            append(other, EventType.RESERVATION_APPROVED, Map.of());
            long second = append(account, EventType.LIMIT_ENFORCED, Map.of("code", "insufficient_tokens"));

            var message = stream.next(WAIT);
            assertThat(message).isNotNull();
            assertThat(message.id()).isEqualTo("evt_" + first);
            assertThat(message.event()).isEqualTo("reservation.approved");
            var data = JSON.readTree(message.data());
            assertThat(data.path("id").asString()).isEqualTo("evt_" + first);
            assertThat(data.path("account_id").asString()).isEqualTo(account);
            assertThat(data.path("data").path("reservation_id").asString()).isEqualTo("rsv_1");
            assertThat(data.propertyNames()).containsExactlyInAnyOrder("id", "type", "account_id", "data", "created_at");
            var next = stream.next(WAIT);
            assertThat(next).isNotNull();
            assertThat(next.id()).isEqualTo("evt_" + second);
            assertThat(next.event()).isEqualTo("limit_enforced");
            assertThat(stream.next(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void a_stream_resumes_after_the_last_event_id_without_gaps_or_repeats() throws Exception {
        String account = anAccount();
        long first = append(account, EventType.RESERVATION_APPROVED, Map.of());
        long second = append(account, EventType.USAGE_COMMITTED, Map.of());
        long third = append(account, EventType.THRESHOLD_CROSSED, Map.of("threshold_percent", 80));
        try (var stream = SseClient.connect(streamUrl(port, account), ADMIN_KEY, "evt_" + first)) {
            assertThat(stream.next(WAIT).id()).isEqualTo("evt_" + second);
            assertThat(stream.next(WAIT).id()).isEqualTo("evt_" + third);
            long fourth = append(account, EventType.USAGE_COMMITTED, Map.of());
            assertThat(stream.next(WAIT).id()).isEqualTo("evt_" + fourth);
            assertThat(stream.next(Duration.ofMillis(500))).isNull();
        }
    }

    @Test
    void a_stream_on_another_instance_gets_events_written_here_with_heartbeats_and_bounded_connections()
            throws Exception {
        String account = anAccount();
        String second = anAccount();
        String third = anAccount();
        var instance = TollgateNode.start(Map.of(
                "tollgate.events.stream.max-per-account", 1,
                "tollgate.events.stream.max-total", 2,
                "tollgate.events.stream.heartbeat", "200ms"));
        int otherPort = instance.port();
        try (var stream = SseClient.connect(streamUrl(otherPort, account), ADMIN_KEY, null)) {
            long event = append(account, EventType.PLAN_CHANGED, Map.of("plan", "pro"));
            assertThat(stream.next(WAIT).id()).isEqualTo("evt_" + event);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stream.comments()).contains(": heartbeat"));

            try (var again = SseClient.connect(streamUrl(otherPort, account), ADMIN_KEY, null)) {
                assertThat(again.status()).isEqualTo(429);
                assertThat(again.contentType()).startsWith("application/problem+json");
                assertThat(JSON.readTree(again.body()).path("code").asString()).isEqualTo("stream_limit_reached");
            }
            try (var another = SseClient.connect(streamUrl(otherPort, second), ADMIN_KEY, null);
                    var tooMany = SseClient.connect(streamUrl(otherPort, third), ADMIN_KEY, null)) {
                assertThat(another.status()).isEqualTo(200);
                assertThat(tooMany.status()).isEqualTo(503);
                assertThat(JSON.readTree(tooMany.body()).path("code").asString())
                        .isEqualTo("stream_capacity_reached");
            }

            // Stopping an instance ends its streams instead of waiting for their clients.
            long stopping = System.nanoTime();
            instance.close();
            assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(10));
            WebhookTests.awaitTrue(WAIT, stream::finished);
        } finally {
            instance.close();
        }
    }

    @Test
    void streams_of_unknown_accounts_and_bad_ids_are_problems() throws Exception {
        try (var unknown = SseClient.connect(streamUrl(port, unique("nobody")), ADMIN_KEY, null)) {
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).path("code").asString()).isEqualTo("account_not_found");
        }
        try (var bad = SseClient.connect(streamUrl(port, anAccount()), ADMIN_KEY, "yesterday")) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).path("code").asString()).isEqualTo("invalid_parameter");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "read"})
    void only_admins_and_the_account_owner_may_stream(String role) throws Exception {
        try (var stream = SseClient.connect(streamUrl(port, anAccount()), keyWithRole(role), null)) {
            assertThat(stream.status()).isEqualTo(403);
        }
    }

    private static String streamUrl(int port, String account) {
        return "http://localhost:" + port + "/v1/accounts/" + account + "/events/stream";
    }

    private String anAccount() {
        String id = unique("stream");
        var now = Timestamp.from(clock.instant());
        sql.sql("INSERT INTO account (id, created_at, updated_at) VALUES (:id, :now, :now)")
                .param("id", id).param("now", now).update();
        return id;
    }

    private long append(String account, String type, Map<String, ?> data) {
        return transactions.execute(status -> events.append(account, type, data));
    }
}
