package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.IntegrationTest;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class DatabaseNotificationsTests extends IntegrationTest {

    /** Far longer than delivery or a reconnect takes; a test only waits this long when it fails. */
    private static final long DEADLINE_SECONDS = 15;

    @Autowired
    DatabaseNotifications notifications;

    private BlockingQueue<String> subscribe(String channel) {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        notifications.subscribe(channel, received::add);
        return received;
    }

    private static @Nullable String next(BlockingQueue<String> received) throws InterruptedException {
        return received.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private void notify(String channel, String payload) {
        sql.sql("SELECT pg_notify(:channel, :payload)").param("channel", channel).param("payload", payload)
                .query(rs -> {});
    }

    private static String channel() {
        return unique("test").replace('-', '_');
    }

    @Test
    void subscribers_are_told_to_reload_once_listening_and_then_get_each_payload() throws Exception {
        String channel = channel();
        var received = subscribe(channel);

        assertThat(next(received)).isEqualTo(DatabaseNotifications.RELOAD_EVERYTHING);
        notify(channel, "first");
        notify(channel, "second");

        assertThat(next(received)).isEqualTo("first");
        assertThat(next(received)).isEqualTo("second");
    }

    @Test
    void after_losing_its_connection_it_reconnects_and_tells_subscribers_to_reload() throws Exception {
        String channel = channel();
        var received = subscribe(channel);
        assertThat(next(received)).isEqualTo(DatabaseNotifications.RELOAD_EVERYTHING);

        int terminated = sql.sql("""
                        SELECT count(*) FROM (
                            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name
                        ) AS killed
                        """)
                .param("name", DatabaseNotifications.CONNECTION_NAME)
                .query(Integer.class)
                .single();
        assertThat(terminated).isPositive();

        assertThat(next(received)).isEqualTo(DatabaseNotifications.RELOAD_EVERYTHING);
        notify(channel, "after");
        assertThat(next(received)).isEqualTo("after");
    }

    @Test
    void stopping_closes_its_connection_and_ends_its_thread() throws Exception {
        var own = new DatabaseNotifications(dataSource);
        String channel = channel();
        var received = new LinkedBlockingQueue<String>();
        own.subscribe(channel, received::add);
        long before = listeners();
        long threadsBefore = listenerThreads();

        own.start();
        assertThat(next(received)).isEqualTo(DatabaseNotifications.RELOAD_EVERYTHING);
        assertThat(listeners()).isEqualTo(before + 1);
        own.stop();

        assertThat(own.isRunning()).isFalse();
        assertThat(listenerThreads()).isEqualTo(threadsBefore);
        // The server notices the closed connection asynchronously.
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> listeners() == before);
        notify(channel, "after stop");
        assertThat(received.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    private static long listenerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().equals(DatabaseNotifications.CONNECTION_NAME))
                .count();
    }

    private long listeners() {
        return sql.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
                .param("name", DatabaseNotifications.CONNECTION_NAME)
                .query(Long.class)
                .single();
    }

    @Test
    void channels_must_be_plain_lowercase_identifiers() {
        assertThatThrownBy(() -> notifications.subscribe("prices; DROP TABLE model_price", payload -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> notifications.subscribe("Prices", payload -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
