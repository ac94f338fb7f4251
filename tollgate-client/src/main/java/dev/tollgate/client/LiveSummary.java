package dev.tollgate.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local copy of one account's summary (seed 000 caches the allowance client-side), kept current by
 * the account's event stream: each event makes it fetch the summary again. While the stream is down
 * (or the key may not stream: service keys may not), {@link #get()} falls back to a plain cached read
 * that fetches again once the copy is older than {@code maxAge}.
 */
public final class LiveSummary implements AutoCloseable {

    private static final Duration RECONNECT_DELAY_MIN = Duration.ofMillis(500);
    private static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(30);

    private final TollgateClient client;
    private final Transport transport;
    private final String accountId;
    private final Duration maxAge;
    private final Clock clock;
    private final Thread reader;
    private final CopyOnWriteArrayList<Consumer<AccountSummary>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot;
    private volatile boolean live;
    private volatile boolean closed;
    private volatile Stream<String> openStream;
    private volatile String lastEventId;

    private record Snapshot(AccountSummary summary, Instant fetchedAt) {}

    LiveSummary(TollgateClient client, Transport transport, String accountId, Duration maxAge, Clock clock) {
        this.client = client;
        this.transport = transport;
        this.accountId = accountId;
        this.maxAge = maxAge;
        this.clock = clock;
        refresh();
        this.reader = new Thread(this::readEvents, "tollgate-live-summary-" + accountId);
        reader.setDaemon(true);
        reader.start();
    }

    /** The local copy: as of the latest event while live, else at most {@code maxAge} old. */
    public AccountSummary get() {
        Snapshot current = snapshot;
        if (!live && current.fetchedAt().plus(maxAge).isBefore(clock.instant())) {
            return refresh();
        }
        return current.summary();
    }

    /** True while the event stream is connected. */
    public boolean live() {
        return live;
    }

    /** True while the stream is read or retried; false once closed, or when the key may not stream. */
    public boolean reading() {
        return reader.isAlive();
    }

    /** Called with each new copy fetched after an event, on the stream's reader thread. */
    public void onChange(Consumer<AccountSummary> listener) {
        listeners.add(listener);
    }

    private AccountSummary refresh() {
        AccountSummary summary = client.account(accountId);
        snapshot = new Snapshot(summary, clock.instant());
        return summary;
    }

    private void readEvents() {
        Duration delay = RECONNECT_DELAY_MIN;
        while (!closed) {
            try {
                stream();
                delay = RECONNECT_DELAY_MIN;
            } catch (RuntimeException | IOException dropped) {
                live = false;
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(RECONNECT_DELAY_MAX) > 0 ? RECONNECT_DELAY_MAX : doubled;
        }
    }

    private void stream() throws IOException, InterruptedException {
        String path = "/v1/accounts/" + Paths.segment(accountId) + "/events/stream";
        var builder = HttpRequest.newBuilder(transport.uri(path))
                .header("Authorization", transport.authorization())
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = transport.http().send(builder.GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            int status = response.statusCode();
            if (status == 401 || status == 403 || status == 404) {
                // This key may never stream this account (service keys may not): the cached read is all there is.
                closed = true;
                return;
            }
            if (status != 200) {
                throw new UncheckedIOException(new IOException("event stream answered " + status));
            }
            openStream = lines;
            live = true;
            // Events that happened between the first fetch and the connection are covered by fetching again now.
            publish(refresh());
            Iterator<String> iterator = lines.iterator();
            boolean sawEvent = false;
            while (!closed && iterator.hasNext()) {
                String line = iterator.next();
                if (line.startsWith("id:")) {
                    lastEventId = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    sawEvent = true;
                } else if (line.isEmpty() && sawEvent) {
                    sawEvent = false;
                    publish(refresh());
                }
            }
        } finally {
            live = false;
            openStream = null;
        }
    }

    private void publish(AccountSummary summary) {
        for (Consumer<AccountSummary> listener : listeners) {
            listener.accept(summary);
        }
    }

    @Override
    public void close() {
        closed = true;
        Stream<String> lines = openStream;
        if (lines != null) {
            lines.close();
        }
        reader.interrupt();
    }
}
