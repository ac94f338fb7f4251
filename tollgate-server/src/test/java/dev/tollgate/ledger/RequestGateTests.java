package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.ledger.RequestGate.Lane;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestGateTests {

    private final AtomicLong nanos = new AtomicLong();
    private final List<String> entered = new CopyOnWriteArrayList<>();

    @Test
    void a_waiting_reservation_goes_in_before_settlements_that_have_waited_longer() throws Exception {
        var gate = gate(1, 1, Duration.ofSeconds(2));
        gate.enter(Lane.RESERVATION);
        var settlement = waitInLine(gate, Lane.SETTLEMENT, "settlement", 1);
        var reservation = waitInLine(gate, Lane.RESERVATION, "reservation", 1);

        gate.leave(Lane.RESERVATION);
        settlement.join();
        reservation.join();

        assertThat(entered).containsExactly("reservation", "settlement");
    }

    @Test
    void each_lane_is_first_come_first_served() throws Exception {
        var gate = gate(1, 1, Duration.ofSeconds(2));
        gate.enter(Lane.SETTLEMENT);
        var first = waitInLine(gate, Lane.SETTLEMENT, "first", 1);
        var second = waitInLine(gate, Lane.SETTLEMENT, "second", 2);

        gate.leave(Lane.SETTLEMENT);
        first.join();
        second.join();

        assertThat(entered).containsExactly("first", "second");
    }

    @Test
    void settlements_never_take_the_permits_kept_for_reservations() throws Exception {
        var gate = gate(2, 1, Duration.ofSeconds(2));
        gate.enter(Lane.SETTLEMENT);
        var settlement = waitInLine(gate, Lane.SETTLEMENT, "settlement", 1);

        gate.enter(Lane.RESERVATION);
        assertThat(gate.waiting(Lane.RESERVATION)).isZero();
        gate.leave(Lane.RESERVATION);
        assertThat(gate.waiting(Lane.SETTLEMENT)).isEqualTo(1);

        gate.leave(Lane.SETTLEMENT);
        settlement.join();
        assertThat(entered).containsExactly("settlement");
    }

    @Test
    void a_settlement_held_back_longer_than_the_limit_goes_ahead_of_reservations() throws Exception {
        var gate = gate(1, 1, Duration.ofMillis(100));
        gate.enter(Lane.RESERVATION);
        var settlement = waitInLine(gate, Lane.SETTLEMENT, "settlement", 1);
        nanos.addAndGet(Duration.ofMillis(101).toNanos());
        var reservation = waitInLine(gate, Lane.RESERVATION, "reservation", 1);

        gate.leave(Lane.RESERVATION);
        settlement.join();
        reservation.join();

        assertThat(entered).containsExactly("settlement", "reservation");
    }

    @Test
    void every_permit_comes_back_once_the_requests_have_left() throws Exception {
        var gate = gate(2, 1, Duration.ofSeconds(2));
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 200; i++) {
            Lane lane = i % 2 == 0 ? Lane.RESERVATION : Lane.SETTLEMENT;
            threads.add(Thread.ofVirtual().start(() -> {
                gate.enter(lane);
                Thread.yield();
                gate.leave(lane);
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        gate.enter(Lane.RESERVATION);
        gate.enter(Lane.SETTLEMENT);
        assertThat(gate.waiting(Lane.RESERVATION) + gate.waiting(Lane.SETTLEMENT)).isZero();
    }

    @Test
    void settlement_permits_must_fit_within_the_permits() {
        assertThatThrownBy(() -> gate(2, 3, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 2 settlement permits");
        assertThatThrownBy(() -> new RequestGateSettings(true, 2, 0, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settlement-permits-per-core");
    }

    private RequestGate gate(int permits, int settlementPermits, Duration settlementWaitMax) {
        return new RequestGate(permits, settlementPermits, settlementWaitMax, nanos::get);
    }

    /** Starts a request that waits for the gate, and returns once it stands in line. */
    private Thread waitInLine(RequestGate gate, Lane lane, String name, int inLineAfter) throws InterruptedException {
        var thread = Thread.ofPlatform().name(name).start(() -> {
            gate.enter(lane);
            entered.add(name);
            gate.leave(lane);
        });
        while (gate.waiting(lane) < inLineAfter) {
            Thread.sleep(1);
        }
        return thread;
    }
}
