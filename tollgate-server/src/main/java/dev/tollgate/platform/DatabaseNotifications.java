package dev.tollgate.platform;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} for every node: one dedicated connection listens on the channels that
 * subscribers asked for and hands each notification's payload to them, on a single daemon thread. It is
 * how in-memory caches (prices, plans) learn that another node, or someone with psql, changed a table.
 *
 * <p>Notifications sent while the connection is down are lost, so after every (re)connect, and after
 * listening on a channel subscribed to later, subscribers get an empty payload, which by convention
 * means "something may have changed: reload everything". Subscribers must therefore be cheap and
 * idempotent; they run on the listener thread and must not block.
 */
@Component
public class DatabaseNotifications implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);

    /** The payload that tells a subscriber to reload everything. */
    public static final String RELOAD_EVERYTHING = "";

    /** Also the application_name of the listening connection, to find it in pg_stat_activity. */
    static final String CONNECTION_NAME = "tollgate-notifications";

    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** How long one wait for notifications lasts: also the delay before a new channel is listened to. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(250);
    /** A connection cut without a TCP reset looks idle; a query this often tells the difference. */
    private static final Duration VALIDATION_INTERVAL = Duration.ofSeconds(10);
    private static final int VALIDATION_TIMEOUT_SECONDS = 5;
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final Duration RECONNECT_DELAY_MIN = Duration.ofMillis(250);
    /** Short, so caches reload soon after an outage; a refused connection attempt costs next to nothing. */
    private static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    /** Channels subscribed to since the listener last issued LISTEN for them. */
    private final Queue<String> newChannels = new ConcurrentLinkedQueue<>();

    private volatile boolean running;
    private volatile @Nullable Thread listener;

    DatabaseNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Calls {@code onPayload} with the payload of every notification on {@code channel}, and with
     * {@link #RELOAD_EVERYTHING} whenever notifications may have been missed (including once soon after
     * subscribing). The channel is a lowercase SQL identifier.
     */
    public void subscribe(String channel, Consumer<String> onPayload) {
        if (!CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel '" + channel + "' must match " + CHANNEL);
        }
        subscribers.computeIfAbsent(channel, name -> new CopyOnWriteArrayList<>()).add(onPayload);
        newChannels.add(channel);
    }

    @Override
    public void start() {
        running = true;
        var thread = new Thread(this::listen, CONNECTION_NAME);
        thread.setDaemon(true);
        listener = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = listener;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server and stops after it, so the caches stay fresh while requests drain. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    private void listen() {
        Duration delay = RECONNECT_DELAY_MIN;
        boolean failing = false;
        while (running) {
            try (Connection connection = open()) {
                newChannels.clear();
                for (String channel : subscribers.keySet()) {
                    execute(connection, "LISTEN " + channel);
                }
                if (failing) {
                    log.info("Listening for database notifications again");
                }
                failing = false;
                delay = RECONNECT_DELAY_MIN;
                subscribers.keySet().forEach(channel -> dispatch(channel, RELOAD_EVERYTHING));
                poll(connection);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failing) {
                    // A lost connection is an outage, not a bug: the cause is worth a line, not a stack trace.
                    log.warn("Database notifications interrupted ({}); reconnecting, caches reload once reconnected",
                            e.toString());
                }
                failing = true;
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(RECONNECT_DELAY_MAX) > 0 ? RECONNECT_DELAY_MAX
                        : delay.multipliedBy(2);
            }
        }
    }

    /** Waits for notifications until stopped or until the connection fails (by throwing). */
    private void poll(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        long validatedAt = System.nanoTime();
        while (running) {
            String channel;
            while ((channel = newChannels.poll()) != null) {
                execute(connection, "LISTEN " + channel);
                dispatch(channel, RELOAD_EVERYTHING);
            }
            PGNotification[] notifications = postgres.getNotifications((int) POLL_TIMEOUT.toMillis());
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    dispatch(notification.getName(), notification.getParameter());
                }
            }
            if (System.nanoTime() - validatedAt > VALIDATION_INTERVAL.toNanos()) {
                if (!connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                    throw new SQLException("the notification connection is no longer valid");
                }
                validatedAt = System.nanoTime();
            }
        }
    }

    private void dispatch(String channel, String payload) {
        for (Consumer<String> subscriber : subscribers.getOrDefault(channel, List.of())) {
            try {
                subscriber.accept(payload);
            } catch (RuntimeException e) {
                log.error("A subscriber of database channel {} failed", channel, e);
            }
        }
    }

    /**
     * A connection of its own: a pooled one would be held forever and shrink the pool. Only when the
     * DataSource is not a pool with a known URL is a connection borrowed from it.
     */
    private Connection open() throws SQLException {
        Connection connection;
        HikariDataSource pool = dataSource instanceof FailFastDataSource failFast ? failFast.pool()
                : dataSource instanceof HikariDataSource hikari ? hikari : null;
        if (pool != null && pool.getJdbcUrl() != null) {
            var properties = new Properties();
            if (pool.getUsername() != null) {
                properties.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                properties.setProperty("password", pool.getPassword());
            }
            properties.setProperty("ApplicationName", CONNECTION_NAME);
            properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            properties.setProperty("tcpKeepAlive", "true");
            connection = DriverManager.getConnection(pool.getJdbcUrl(), properties);
        } else {
            connection = dataSource.getConnection();
        }
        // LISTEN takes effect at commit; in autocommit every statement commits at once.
        connection.setAutoCommit(true);
        return connection;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            // Only stop() interrupts, after clearing running, so the loop ends.
            Thread.currentThread().interrupt();
        }
    }
}
