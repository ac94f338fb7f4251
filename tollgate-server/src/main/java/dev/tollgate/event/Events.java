package dev.tollgate.event;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outbox. {@link #append} must be called inside the transaction that makes the change it
 * describes, so an event exists exactly when its change does.
 */
@Service
public class Events {

    private final EventStore store;
    private final Clock clock;

    Events(EventStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public long append(String accountId, String type, Map<String, ?> data) {
        return store.insert(accountId, type, data, clock.instant());
    }

    /** Appends one event of the same type per account, in one statement (account backfills). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(List<String> accountIds, String type, List<? extends Map<String, ?>> data) {
        if (accountIds.size() != data.size()) {
            throw new IllegalArgumentException("one data map per account");
        }
        if (!accountIds.isEmpty()) {
            store.insertAll(accountIds, type, data, clock.instant());
        }
    }

    /** The account's events after {@code afterId}, oldest first. */
    public List<Event> list(String accountId, long afterId, int limit) {
        return store.list(accountId, afterId, limit);
    }
}
