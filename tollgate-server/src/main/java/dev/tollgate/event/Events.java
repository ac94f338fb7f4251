package dev.tollgate.event;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The outbox. {@link #append} must be called inside the transaction that makes the change it
 * describes, so an event exists exactly when its change does.
 */
@Service
public class Events {

    private final EventStore store;
    private final Clock clock;
    private final WebhookDispatcher dispatcher;

    Events(EventStore store, Clock clock, WebhookDispatcher dispatcher) {
        this.store = store;
        this.clock = clock;
        this.dispatcher = dispatcher;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public long append(String accountId, String type, Map<String, ?> data) {
        long id = store.insert(accountId, type, data, clock.instant());
        dispatchAfterCommit();
        return id;
    }

    /** Appends one event of the same type per account, in one statement (account backfills). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(List<String> accountIds, String type, List<? extends Map<String, ?>> data) {
        if (accountIds.size() != data.size()) {
            throw new IllegalArgumentException("one data map per account");
        }
        if (!accountIds.isEmpty()) {
            store.insertAll(accountIds, type, data, clock.instant());
            dispatchAfterCommit();
        }
    }

    /**
     * Webhook deliveries are enqueued by a trigger in the appending transaction; once it commits, this
     * instance's dispatcher looks for them at once instead of at its next poll. Public for modules that
     * write their events inside their own statements (the ledger's reserve and settle). Outside a
     * transaction the appending statement has committed already (autocommit), so the dispatcher is
     * woken now.
     */
    public void dispatchAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            dispatcher.eventsCommitted();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                dispatcher.eventsCommitted();
            }
        });
    }

    /** The account's newest event of this type, if it has one. */
    public Optional<Event> latestOfType(String accountId, String type) {
        return store.latestOfType(accountId, type);
    }

    /** The newest events of one account, or of every account when {@code accountId} is null, newest first. */
    public List<Event> latest(@Nullable String accountId, int limit) {
        return store.latest(accountId, limit);
    }

    /** The account's events after {@code afterId}, oldest first. */
    public List<Event> list(String accountId, long afterId, int limit) {
        return store.list(accountId, afterId, limit);
    }

    /** A number of events that share a key (a denial's code). */
    public record Count(String key, long count) {}

    /** Denials by reason since {@code since}, for the console's overview. */
    public List<Count> denialsSince(java.time.Instant since) {
        return store.denialsSince(since);
    }
}
