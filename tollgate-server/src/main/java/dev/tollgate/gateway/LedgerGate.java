package dev.tollgate.gateway;

import dev.tollgate.ledger.AdmissionSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Bounds how many of the gateway's calls into the ledger run at once, sized like the API's metering
 * requests ({@code tollgate.admission.permits-per-core} per processor). A thousand streams that start or end
 * together then wait parked for a permit, costing nothing, instead of all asking the connection pool at once
 * and timing out there (measured: 22 % of 1,000 simultaneous streams were refused {@code 503} without this).
 *
 * <p>Reservations go first. A reservation decides whether a call may start, while a settlement ends a call
 * whose upstream has already answered. So when no permit is free, a waiting
 * reservation is let in before any waiting settlement, and at most {@code settlement-permits-per-core} per
 * processor of the permits go to settlements, leaving the rest for reservations that arrive. A settlement that
 * has waited {@code tollgate.admission.settlement-wait-max} goes ahead anyway: reservations may delay
 * settlements but never starve them.
 */
@Component
class LedgerGate {

    /** Who asks for a permit. */
    enum Lane {
        /** A reserve: a client waits on it. */
        RESERVATION,
        /** A commit or release: the call it settles is over. */
        SETTLEMENT
    }

    private final boolean enabled;
    private final int settlementPermits;
    private final long settlementWaitMaxNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition reservationTurn = lock.newCondition();
    private final Condition settlementTurn = lock.newCondition();
    private int free;
    private int settling;
    private int reservationsWaiting;
    private int settlementsWaiting;

    @Autowired
    LedgerGate(AdmissionSettings settings) {
        this(settings.enabled(), settings.permitsPerCore() * Runtime.getRuntime().availableProcessors(),
                settings.settlementPermitsPerCore() * Runtime.getRuntime().availableProcessors(),
                settings.settlementWaitMax());
    }

    LedgerGate(boolean enabled, int permits, int settlementPermits, Duration settlementWaitMax) {
        this.enabled = enabled;
        this.free = permits;
        this.settlementPermits = settlementPermits;
        this.settlementWaitMaxNanos = settlementWaitMax.toNanos();
    }

    /** How many wait in a lane now; for the gate's tests. */
    int waiting(Lane lane) {
        lock.lock();
        try {
            return lane == Lane.RESERVATION ? reservationsWaiting : settlementsWaiting;
        } finally {
            lock.unlock();
        }
    }

    <T> T call(Lane lane, Supplier<T> work) {
        if (!enabled) {
            return work.get();
        }
        boolean interrupted = lane == Lane.RESERVATION ? enterReservation() : enterSettlement();
        try {
            return work.get();
        } finally {
            leave(lane);
            if (interrupted) {
                // The wait was short and its work is done; whoever interrupted still finds the flag.
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean enterReservation() {
        lock.lock();
        try {
            reservationsWaiting++;
            try {
                while (free == 0) {
                    reservationTurn.awaitUninterruptibly();
                }
            } finally {
                reservationsWaiting--;
            }
            free--;
            passOn();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean enterSettlement() {
        long since = System.nanoTime();
        boolean interrupted = false;
        lock.lock();
        settlementsWaiting++;
        try {
            while (true) {
                long overdueInNanos = settlementWaitMaxNanos - (System.nanoTime() - since);
                boolean yieldsToReservations = reservationsWaiting > 0 && overdueInNanos > 0;
                if (free > 0 && settling < settlementPermits && !yieldsToReservations) {
                    break;
                }
                try {
                    if (yieldsToReservations) {
                        settlementTurn.await(overdueInNanos, TimeUnit.NANOSECONDS);
                    } else {
                        settlementTurn.await();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            free--;
            settling++;
            passOn();
            return interrupted;
        } finally {
            settlementsWaiting--;
            lock.unlock();
        }
    }

    private void leave(Lane lane) {
        lock.lock();
        try {
            free++;
            if (lane == Lane.SETTLEMENT) {
                settling--;
            }
            passOn();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the next waiters while permits are free; called with the lock held. */
    private void passOn() {
        if (free == 0) {
            return;
        }
        if (reservationsWaiting > 0) {
            reservationTurn.signal();
        }
        // A settlement wakes too: one that is overdue, or finds no reservation waiting, may take a permit;
        // the others wait on. Waking one at a time keeps a thousand waiters from all waking at once.
        settlementTurn.signal();
    }
}
