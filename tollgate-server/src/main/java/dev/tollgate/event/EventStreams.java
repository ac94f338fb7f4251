package dev.tollgate.event;

import dev.tollgate.platform.ProblemException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The live streams open on this instance, and the one poller that feeds them. Every instance polls the
 * shared event table, so a stream sees the events written by any instance. Open streams are bounded
 * per account and in total; stopping the instance ends them all so that shutdown is not held up.
 */
@Component
public class EventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    private final EventStreamProperties properties;
    private final Clock clock;
    private final EventFeed feed;
    private final Map<String, Set<EventSubscription>> byAccount = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean running;
    private @Nullable Thread poller;

    EventStreams(EventStore store, EventStreamProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.feed = new EventFeed(store, properties.gapWait());
    }

    /** Opens a stream of the account's events from now on, or refuses it when a limit is reached. */
    public EventSubscription open(String accountId) {
        if (!running) {
            throw new ProblemException(EventProblem.STREAM_CAPACITY_REACHED, "This instance is shutting down.");
        }
        if (open.incrementAndGet() > properties.maxTotal()) {
            open.decrementAndGet();
            throw new ProblemException(EventProblem.STREAM_CAPACITY_REACHED,
                    "All " + properties.maxTotal() + " live streams of this instance are in use; retry later.");
        }
        var subscription = new EventSubscription(accountId, this::close);
        boolean[] admitted = {false};
        byAccount.compute(accountId, (id, streams) -> {
            var set = streams == null ? ConcurrentHashMap.<EventSubscription>newKeySet() : streams;
            if (set.size() < properties.maxPerAccount()) {
                set.add(subscription);
                admitted[0] = true;
            }
            return set;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            throw new ProblemException(EventProblem.STREAM_LIMIT_REACHED,
                    "This account already has " + properties.maxPerAccount() + " live streams open.");
        }
        // Start following before the caller reads the backlog, so nothing falls between the two.
        synchronized (feed) {
            feed.start();
        }
        return subscription;
    }

    int openCount() {
        return open.get();
    }

    private void close(EventSubscription subscription) {
        byAccount.computeIfPresent(subscription.accountId(), (id, streams) -> {
            streams.remove(subscription);
            return streams.isEmpty() ? null : streams;
        });
        open.decrementAndGet();
    }

    @Override
    public void start() {
        running = true;
        poller = Thread.ofPlatform().name("event-stream-poller").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        byAccount.values().forEach(streams -> streams.forEach(EventSubscription::end));
        var thread = poller;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            boolean more = false;
            try {
                more = pollOnce();
            } catch (RuntimeException e) {
                log.warn("Polling events for live streams failed: {}", e.toString());
            }
            if (!more) {
                try {
                    Thread.sleep(properties.pollInterval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private boolean pollOnce() {
        EventFeed.Batch batch;
        synchronized (feed) {
            if (byAccount.isEmpty()) {
                // Nobody listens: stop reading the table; the next stream starts from the tail again.
                feed.stop();
                return false;
            }
            batch = feed.poll(byAccount.keySet(), clock.instant());
        }
        for (var event : batch.events()) {
            var streams = byAccount.get(event.accountId());
            if (streams != null) {
                streams.forEach(stream -> stream.offer(event));
            }
        }
        return batch.full();
    }
}
