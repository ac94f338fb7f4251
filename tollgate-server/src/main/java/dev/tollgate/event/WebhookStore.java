package dev.tollgate.event;

import dev.tollgate.event.WebhookDelivery.Status;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Repository
class WebhookStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    WebhookStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insertEndpoint(WebhookEndpoint endpoint) {
        jdbc.sql("""
                        INSERT INTO webhook_endpoint (id, url, description, event_types, secret, created_at)
                        VALUES (:id, :url, :description, :eventTypes, :secret, :createdAt)
                        """)
                .param("id", endpoint.id())
                .param("url", endpoint.url())
                .param("description", endpoint.description())
                .param("eventTypes", endpoint.eventTypes().toArray(String[]::new))
                .param("secret", endpoint.secret())
                .param("createdAt", Timestamp.from(endpoint.createdAt()))
                .update();
    }

    boolean anyLiveEndpoint() {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM webhook_endpoint WHERE deleted_at IS NULL)")
                .query(Boolean.class)
                .single();
    }

    Optional<WebhookEndpoint> findEndpoint(String id) {
        return jdbc.sql("""
                        SELECT id, url, description, event_types, secret, created_at
                          FROM webhook_endpoint
                         WHERE id = :id AND deleted_at IS NULL
                        """)
                .param("id", id)
                .query(WebhookStore::endpoint)
                .optional();
    }

    List<WebhookEndpoint> listEndpoints(String afterId, int limit) {
        return jdbc.sql("""
                        SELECT id, url, description, event_types, secret, created_at
                          FROM webhook_endpoint
                         WHERE id > :afterId AND deleted_at IS NULL
                         ORDER BY id
                         LIMIT :limit
                        """)
                .param("afterId", afterId)
                .param("limit", limit)
                .query(WebhookStore::endpoint)
                .list();
    }

    boolean markDeleted(String id, Instant now) {
        return jdbc.sql("UPDATE webhook_endpoint SET deleted_at = :now WHERE id = :id AND deleted_at IS NULL")
                .param("id", id)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    void cancelPending(String endpointId, Instant now) {
        jdbc.sql("""
                        UPDATE webhook_delivery
                           SET status = 'canceled', completed_at = :now, lease_token = NULL, leased_until = NULL
                         WHERE endpoint_id = :endpointId AND status = 'pending'
                        """)
                .param("endpointId", endpointId)
                .param("now", Timestamp.from(now))
                .update();
    }

    /** The endpoint's deliveries with ids below {@code beforeId}, newest first. */
    List<WebhookDelivery> listDeliveries(String endpointId, long beforeId, @Nullable Status status, int limit) {
        return jdbc.sql("""
                        SELECT d.id, d.endpoint_id, d.event_id, e.type AS event_type, d.account_id, d.status,
                               d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_http_status, d.last_error,
                               d.completed_at, d.created_at
                          FROM webhook_delivery d
                          JOIN event e ON e.account_id = d.account_id AND e.id = d.event_id
                               AND e.created_at = d.event_created_at
                         WHERE d.endpoint_id = :endpointId AND d.id < :beforeId
                           AND (CAST(:status AS text) IS NULL OR d.status = :status)
                         ORDER BY d.id DESC
                         LIMIT :limit
                        """)
                .param("endpointId", endpointId)
                .param("beforeId", beforeId)
                .param("status", status == null ? null : status.wireName())
                .param("limit", limit)
                .query(WebhookStore::delivery)
                .list();
    }

    /** The endpoint's delivery with this id: the newest one below the next id, if it has this id. */
    Optional<WebhookDelivery> findDelivery(String endpointId, long deliveryId) {
        return listDeliveries(endpointId, deliveryId + 1, null, 1).stream()
                .filter(delivery -> delivery.id() == deliveryId)
                .findFirst();
    }

    /** Puts a failed delivery back in its queue with a fresh set of attempts; false if it was not failed. */
    boolean requeue(String endpointId, long deliveryId, Instant now) {
        return jdbc.sql("""
                        UPDATE webhook_delivery
                           SET status = 'pending', attempts = 0, next_attempt_at = :now, completed_at = NULL
                         WHERE endpoint_id = :endpointId AND id = :id AND status = 'failed'
                        """)
                .param("endpointId", endpointId)
                .param("id", deliveryId)
                .param("now", Timestamp.from(now))
                .update() == 1;
    }

    /**
     * Claims up to {@code limit} due deliveries for one worker and counts the attempt. Only the head of
     * each (endpoint, account) queue is eligible, so an account's events reach an endpoint in order;
     * SKIP LOCKED and the lease let any number of instances claim concurrently without sharing work.
     * The heads are found by skipping through the queue index, one probe per queue, so a long backlog
     * behind a failing endpoint costs nothing here. "In order" means in event id order among committed
     * events: an event whose transaction commits after a later event of its account was sent goes out
     * next, after it, and is never lost.
     */
    List<ClaimedDelivery> claim(Instant now, Instant leasedUntil, UUID leaseToken, int limit) {
        return jdbc.sql("""
                        WITH RECURSIVE queue AS (
                            (SELECT endpoint_id, account_id
                               FROM webhook_delivery
                              WHERE status = 'pending'
                              ORDER BY endpoint_id, account_id
                              LIMIT 1)
                            UNION ALL
                            SELECT later.endpoint_id, later.account_id
                              FROM queue q
                             CROSS JOIN LATERAL (SELECT endpoint_id, account_id
                                                   FROM webhook_delivery
                                                  WHERE status = 'pending'
                                                    AND (endpoint_id, account_id) > (q.endpoint_id, q.account_id)
                                                  ORDER BY endpoint_id, account_id
                                                  LIMIT 1) later
                        ), head AS (
                            SELECT q.account_id, first.id
                              FROM queue q
                             CROSS JOIN LATERAL (SELECT id
                                                   FROM webhook_delivery
                                                  WHERE status = 'pending'
                                                    AND endpoint_id = q.endpoint_id AND account_id = q.account_id
                                                  ORDER BY event_id
                                                  LIMIT 1) first
                        ), due AS (
                            SELECT d.account_id, d.id
                              FROM webhook_delivery d
                              JOIN webhook_endpoint w ON w.id = d.endpoint_id AND w.deleted_at IS NULL
                             WHERE (d.account_id, d.id) IN (SELECT account_id, id FROM head)
                               AND d.status = 'pending'
                               AND d.next_attempt_at <= :now
                               AND (d.leased_until IS NULL OR d.leased_until <= :now)
                             ORDER BY d.next_attempt_at, d.id
                             LIMIT :limit
                               FOR UPDATE OF d SKIP LOCKED
                        )
                        UPDATE webhook_delivery d
                           SET attempts = d.attempts + 1, last_attempt_at = :now,
                               lease_token = :leaseToken, leased_until = :leasedUntil
                          FROM due, webhook_endpoint w, event e
                         WHERE d.account_id = due.account_id AND d.id = due.id AND w.id = d.endpoint_id
                           AND e.account_id = d.account_id AND e.id = d.event_id
                           AND e.created_at = d.event_created_at
                        RETURNING d.id AS delivery_id, d.endpoint_id, d.attempts, w.url, w.secret, e.id, e.account_id,
                                  e.type, e.data, e.created_at
                        """)
                .param("now", Timestamp.from(now))
                .param("leasedUntil", Timestamp.from(leasedUntil))
                .param("leaseToken", leaseToken)
                .param("limit", limit)
                .query((rs, row) -> claimed(rs, leaseToken))
                .list();
    }

    /**
     * Claims the delivery that follows {@code previous} in its queue, if it is due, so that one worker
     * can work through an account's backlog without searching every queue for each event. The head is
     * chosen first and then locked by the UPDATE, never skipped over: a head leased by someone else
     * makes this return nothing rather than a later event.
     */
    Optional<ClaimedDelivery> claimNext(ClaimedDelivery previous, Instant now, Instant leasedUntil) {
        return jdbc.sql("""
                        UPDATE webhook_delivery d
                           SET attempts = d.attempts + 1, last_attempt_at = :now,
                               lease_token = :leaseToken, leased_until = :leasedUntil
                          FROM webhook_endpoint w, event e
                         WHERE d.account_id = :accountId
                           AND d.id = (SELECT id
                                         FROM webhook_delivery
                                        WHERE endpoint_id = :endpointId AND account_id = :accountId
                                          AND status = 'pending'
                                        ORDER BY event_id
                                        LIMIT 1)
                           AND d.status = 'pending'
                           AND d.next_attempt_at <= :now
                           AND (d.leased_until IS NULL OR d.leased_until <= :now)
                           AND w.id = d.endpoint_id AND w.deleted_at IS NULL
                           AND e.account_id = d.account_id AND e.id = d.event_id
                           AND e.created_at = d.event_created_at
                        RETURNING d.id AS delivery_id, d.endpoint_id, d.attempts, w.url, w.secret, e.id, e.account_id,
                                  e.type, e.data, e.created_at
                        """)
                .param("now", Timestamp.from(now))
                .param("leasedUntil", Timestamp.from(leasedUntil))
                .param("leaseToken", previous.leaseToken())
                .param("endpointId", previous.endpointId())
                .param("accountId", previous.event().accountId())
                .query((rs, row) -> claimed(rs, previous.leaseToken()))
                .optional();
    }

    /** Records the outcome of a claimed attempt; a worker whose lease was taken over changes nothing. */
    void complete(ClaimedDelivery claimed, Status status, Instant now, @Nullable Integer httpStatus,
            @Nullable String error) {
        endAttempt(claimed, status, Timestamp.from(now), null, httpStatus, error);
    }

    /** Gives a failed attempt's delivery back, pending, to be tried again at {@code nextAttemptAt}. */
    void retryLater(ClaimedDelivery claimed, Instant nextAttemptAt, @Nullable Integer httpStatus, String error) {
        endAttempt(claimed, null, null, Timestamp.from(nextAttemptAt), httpStatus, error);
    }

    /** Ends a claimed attempt: what is null is left as it was; the lease is given up either way. */
    private void endAttempt(ClaimedDelivery claimed, @Nullable Status status, @Nullable Timestamp completedAt,
            @Nullable Timestamp nextAttemptAt, @Nullable Integer httpStatus, @Nullable String error) {
        jdbc.sql("""
                        UPDATE webhook_delivery
                           SET status = COALESCE(CAST(:status AS text), status),
                               completed_at = COALESCE(CAST(:completedAt AS timestamptz), completed_at),
                               next_attempt_at = COALESCE(CAST(:next AS timestamptz), next_attempt_at),
                               last_http_status = :httpStatus, last_error = :error,
                               lease_token = NULL, leased_until = NULL
                         WHERE id = :id AND account_id = :accountId AND lease_token = :leaseToken
                        """)
                .param("status", status == null ? null : status.wireName())
                .param("completedAt", completedAt)
                .param("next", nextAttemptAt)
                .param("httpStatus", httpStatus)
                .param("error", error)
                .param("id", claimed.deliveryId())
                .param("accountId", claimed.event().accountId())
                .param("leaseToken", claimed.leaseToken())
                .update();
    }

    /** Deletes up to {@code limit} finished deliveries completed before {@code before}. */
    int purgeCompleted(Instant before, int limit) {
        return jdbc.sql("""
                        DELETE FROM webhook_delivery
                         WHERE (account_id, id) IN (SELECT account_id, id FROM webhook_delivery
                                                     WHERE status <> 'pending' AND completed_at < :before
                                                     LIMIT :limit)
                        """)
                .param("before", Timestamp.from(before))
                .param("limit", limit)
                .update();
    }

    /** A delivery this worker may attempt while its lease lasts. */
    record ClaimedDelivery(long deliveryId, String endpointId, int attempt, String url, String secret,
            UUID leaseToken, Event event) {
        @Override
        public String toString() {
            return "ClaimedDelivery[id=" + deliveryId + ", attempt=" + attempt + ", url=" + url + "]";
        }
    }

    private ClaimedDelivery claimed(ResultSet rs, UUID leaseToken) throws SQLException {
        return new ClaimedDelivery(rs.getLong("delivery_id"), rs.getString("endpoint_id"), rs.getInt("attempts"),
                rs.getString("url"), rs.getString("secret"), leaseToken, event(rs));
    }

    private Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("account_id"), rs.getString("type"),
                json.readValue(rs.getString("data"), MAP), rs.getTimestamp("created_at").toInstant());
    }

    private static WebhookEndpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new WebhookEndpoint(rs.getString("id"), rs.getString("url"), rs.getString("description"),
                strings(rs.getArray("event_types")), rs.getString("secret"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static WebhookDelivery delivery(ResultSet rs, int row) throws SQLException {
        var status = Status.ofWireName(rs.getString("status"));
        return new WebhookDelivery(rs.getLong("id"), rs.getString("endpoint_id"), rs.getLong("event_id"),
                rs.getString("event_type"), rs.getString("account_id"), status, rs.getInt("attempts"),
                status == Status.PENDING ? instant(rs, "next_attempt_at") : null, instant(rs, "last_attempt_at"),
                (Integer) rs.getObject("last_http_status"), rs.getString("last_error"),
                instant(rs, "completed_at"), rs.getTimestamp("created_at").toInstant());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    /** Deliveries of every endpoint that failed for good or are retrying after a failure, newest first. */
    List<WebhookDelivery> failingDeliveries(int limit) {
        return jdbc.sql("""
                        SELECT d.id, d.endpoint_id, d.event_id, e.type AS event_type, d.account_id, d.status,
                               d.attempts, d.next_attempt_at, d.last_attempt_at, d.last_http_status, d.last_error,
                               d.completed_at, d.created_at
                          FROM webhook_delivery d
                          JOIN event e ON e.account_id = d.account_id AND e.id = d.event_id
                               AND e.created_at = d.event_created_at
                         WHERE d.status = 'failed' OR (d.status = 'pending' AND d.attempts > 0)
                         ORDER BY d.id DESC
                         LIMIT :limit
                        """)
                .param("limit", limit)
                .query(WebhookStore::delivery)
                .list();
    }
}
