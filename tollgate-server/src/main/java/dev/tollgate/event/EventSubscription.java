package dev.tollgate.event;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One open live stream: the events of its account waiting to be written. A stream whose client does
 * not keep up is ended rather than buffered without bound; the client resumes with Last-Event-ID.
 */
public final class EventSubscription implements AutoCloseable {

    /** Events buffered for one stream at most. */
    static final int QUEUE_SIZE_MAX = 1000;
    private static final Event END = new Event(0, "", "", Map.of(), java.time.Instant.EPOCH);

    private final String accountId;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_SIZE_MAX + 1);
    private final Consumer<EventSubscription> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ended;

    EventSubscription(String accountId, Consumer<EventSubscription> onClose) {
        this.accountId = accountId;
        this.onClose = onClose;
    }

    String accountId() {
        return accountId;
    }

    void offer(Event event) {
        if (ended) {
            return;
        }
        // The one spare slot is kept for END, so an overflowing stream can always be told to stop.
        if (queue.size() >= QUEUE_SIZE_MAX || !queue.offer(event)) {
            end();
        }
    }

    /** Makes the stream stop at its next step. */
    void end() {
        ended = true;
        queue.offer(END);
    }

    /**
     * The next event, or null when {@code timeout} passed without one (time for a heartbeat) or the
     * stream has been ended; an ended stream stops at once; its client resumes from what it received.
     */
    public @Nullable Event next(Duration timeout) throws InterruptedException {
        if (ended) {
            return null;
        }
        Event event = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return event == END || ended ? null : event;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        ended = true;
        if (closed.compareAndSet(false, true)) {
            onClose.accept(this);
        }
    }
}
