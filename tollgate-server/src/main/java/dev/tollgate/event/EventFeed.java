package dev.tollgate.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds newly committed events by polling the event table after a watermark. Identity ids commit out
 * of order, so an id skipped over (its transaction still running, or rolled back) is remembered as a
 * gap and looked for again until {@code gapWait} has passed; an event that commits late is still
 * found, once. Not thread-safe: its one caller serializes access.
 */
final class EventFeed {

    /** Rows read per poll; a full batch makes the caller poll again at once. */
    static final int BATCH_SIZE = 1000;
    /** Gaps remembered at most; a larger jump of ids (a mass rollback) is not waited for. */
    private static final int GAPS_MAX = 10_000;

    private final EventStore store;
    private final Duration gapWait;
    private final Map<Long, Instant> gaps = new LinkedHashMap<>();
    private long watermark = -1;

    EventFeed(EventStore store, Duration gapWait) {
        this.store = store;
        this.gapWait = gapWait;
    }

    boolean started() {
        return watermark >= 0;
    }

    /** Starts following events committed from now on. */
    void start() {
        if (!started()) {
            watermark = store.maxId();
        }
    }

    void stop() {
        watermark = -1;
        gaps.clear();
    }

    /** The events found since the last poll that belong to {@code accounts}, in the order found. */
    Batch poll(Set<String> accounts, Instant now) {
        start();
        var keys = store.keysAfter(watermark, gaps.keySet(), BATCH_SIZE);
        List<Long> wanted = new ArrayList<>();
        for (var key : keys) {
            if (key.id() > watermark) {
                for (long missing = watermark + 1; missing < key.id() && gaps.size() < GAPS_MAX; missing++) {
                    gaps.put(missing, now);
                }
                watermark = key.id();
            } else {
                gaps.remove(key.id());
            }
            if (accounts.contains(key.accountId())) {
                wanted.add(key.id());
            }
        }
        forgetOldGaps(now);
        var events = wanted.isEmpty() ? List.<Event>of() : store.findAll(wanted);
        return new Batch(events, keys.size() == BATCH_SIZE);
    }

    private void forgetOldGaps(Instant now) {
        Instant oldest = now.minus(gapWait);
        for (Iterator<Instant> seen = gaps.values().iterator(); seen.hasNext(); ) {
            if (seen.next().isBefore(oldest)) {
                seen.remove();
            }
        }
    }

    /** Events to hand out, and whether more are already waiting. */
    record Batch(List<Event> events, boolean full) {}
}
