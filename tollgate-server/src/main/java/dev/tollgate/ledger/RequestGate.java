package dev.tollgate.ledger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A counting gate with two lanes: when no permit is free, a waiting reservation is let in before any
 * waiting settlement, and each lane is first come, first served. At most {@code settlementPermits} of
 * the permits go to settlements, so a reservation that arrives finds the rest of them. A settlement that
 * has waited longer than {@code settlementWaitMax} goes ahead of reservations, so a stream of
 * reservations can delay settlements but never starve them.
 *
 * <p>Permits are handed over directly from the leaving request to the next waiter, so a newcomer
 * cannot take a permit ahead of someone already waiting.
 */
public final class RequestGate {

    public enum Lane { RESERVATION, SETTLEMENT }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> reservations = new ArrayDeque<>();
    private final ArrayDeque<Waiter> settlements = new ArrayDeque<>();
    private final int settlementPermits;
    private final long settlementWaitMaxNanos;
    private final LongSupplier nanoTime;
    private int free;
    private int settling;

    RequestGate(int permits, int settlementPermits, Duration settlementWaitMax, LongSupplier nanoTime) {
        if (settlementPermits < 1 || settlementPermits > permits) {
            throw new IllegalArgumentException("A request gate needs 1 to " + permits + " settlement permits, was "
                    + settlementPermits);
        }
        this.free = permits;
        this.settlementPermits = settlementPermits;
        this.settlementWaitMaxNanos = settlementWaitMax.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Waits, without giving up on interruption, until this request may go on; pair with {@link #leave(Lane)}. */
    public void enter(Lane lane) {
        Waiter waiter;
        lock.lock();
        try {
            if (free > 0 && (lane == Lane.RESERVATION || settling < settlementPermits)) {
                take(lane);
                return;
            }
            waiter = new Waiter(Thread.currentThread(), lane, nanoTime.getAsLong());
            queue(lane).addLast(waiter);
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (!waiter.admitted) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public void leave(Lane lane) {
        Waiter next;
        lock.lock();
        try {
            free++;
            if (lane == Lane.SETTLEMENT) {
                settling--;
            }
            next = next();
            if (next == null) {
                return;
            }
            take(next.lane);
            next.admitted = true;
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(next.thread);
    }

    int waiting(Lane lane) {
        lock.lock();
        try {
            return queue(lane).size();
        } finally {
            lock.unlock();
        }
    }

    private ArrayDeque<Waiter> queue(Lane lane) {
        return lane == Lane.RESERVATION ? reservations : settlements;
    }

    private void take(Lane lane) {
        free--;
        if (lane == Lane.SETTLEMENT) {
            settling++;
        }
    }

    private @Nullable Waiter next() {
        Waiter oldestSettlement = settling < settlementPermits ? settlements.peekFirst() : null;
        if (oldestSettlement != null
                && (reservations.isEmpty() || nanoTime.getAsLong() - oldestSettlement.since > settlementWaitMaxNanos)) {
            return settlements.pollFirst();
        }
        return reservations.pollFirst();
    }

    private static final class Waiter {
        final Thread thread;
        final Lane lane;
        final long since;
        volatile boolean admitted;

        Waiter(Thread thread, Lane lane, long since) {
            this.thread = thread;
            this.lane = lane;
            this.since = since;
        }
    }
}
