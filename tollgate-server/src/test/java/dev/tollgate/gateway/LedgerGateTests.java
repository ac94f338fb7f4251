package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.LedgerGate.Lane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway's ledger gate: reservations before settlements, and never more settlements than their share. */
class LedgerGateTests {

    private static final Duration WAIT_MAX = Duration.ofSeconds(10);

    private final List<String> entered = new CopyOnWriteArrayList<>();

    /** Takes a permit in {@code lane} on a thread of its own and holds it until {@code done} is counted down. */
    private Thread holder(LedgerGate gate, Lane lane, String name, CountDownLatch done) {
        return Thread.ofVirtual().start(() -> gate.call(lane, () -> {
            entered.add(name);
            try {
                return done.await(WAIT_MAX.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    @Test
    void a_waiting_reservation_goes_in_before_a_settlement_that_waited_longer() throws Exception {
        var gate = new LedgerGate(true, 1, 1, Duration.ofMinutes(1));
        var release = new CountDownLatch(1);
        holder(gate, Lane.RESERVATION, "first", release);
        Awaitility.await().atMost(WAIT_MAX).until(() -> entered.contains("first"));
        var settlement = holder(gate, Lane.SETTLEMENT, "settlement", new CountDownLatch(0));
        Awaitility.await().atMost(WAIT_MAX).until(() -> gate.waiting(Lane.SETTLEMENT) == 1);
        var reservation = holder(gate, Lane.RESERVATION, "reservation", new CountDownLatch(0));
        Awaitility.await().atMost(WAIT_MAX).until(() -> gate.waiting(Lane.RESERVATION) == 1);

        release.countDown();
        reservation.join(WAIT_MAX);
        settlement.join(WAIT_MAX);

        assertThat(entered).containsExactly("first", "reservation", "settlement");
    }

    @Test
    void settlements_take_only_their_share_of_the_permits() {
        var gate = new LedgerGate(true, 3, 1, Duration.ofMinutes(1));
        var release = new CountDownLatch(1);
        holder(gate, Lane.SETTLEMENT, "settlement 1", release);
        Awaitility.await().atMost(WAIT_MAX).until(() -> entered.contains("settlement 1"));

        holder(gate, Lane.SETTLEMENT, "settlement 2", release);
        holder(gate, Lane.RESERVATION, "reservation 1", release);
        holder(gate, Lane.RESERVATION, "reservation 2", release);

        Awaitility.await().atMost(WAIT_MAX).until(() -> entered.size() == 3 && gate.waiting(Lane.SETTLEMENT) == 1);
        assertThat(entered).containsExactlyInAnyOrder("settlement 1", "reservation 1", "reservation 2");
        release.countDown();
        Awaitility.await().atMost(WAIT_MAX).until(() -> entered.contains("settlement 2"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void a_settlement_past_its_longest_wait_goes_in_although_reservations_keep_coming() {
        var gate = new LedgerGate(true, 1, 1, Duration.ZERO);
        var loopers = new ArrayList<Thread>();
        for (int i = 0; i < 4; i++) {
            // Four clients reserving back to back: a reservation waits whenever the permit comes free.
            loopers.add(Thread.ofVirtual().start(() -> {
                while (!entered.contains("settlement")) {
                    gate.call(Lane.RESERVATION, () -> entered.size());
                }
            }));
        }

        gate.call(Lane.SETTLEMENT, () -> entered.add("settlement"));

        assertThat(entered).contains("settlement");
        loopers.forEach(looper -> Awaitility.await().atMost(WAIT_MAX).until(() -> !looper.isAlive()));
    }
}
