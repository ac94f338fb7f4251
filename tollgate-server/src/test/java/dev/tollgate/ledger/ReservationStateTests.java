package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.shared.Money;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reservation's states carry what each state has, and nothing a state does not have. */
class ReservationStateTests {

    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
    private static final Reservation.Pending PENDING = new Reservation.Pending(new Reservation.Terms("rsv_1", "a",
            "openai", "gpt-4o", false, 2000, 1, 0, Money.ofMicros(10), 1200, 800, null, null, "c-1", Map.of(), AT, AT,
            AT.plusSeconds(900)));

    @Test
    void a_pending_reservation_has_no_resolution_and_no_usage_record() {
        assertThat(PENDING.status()).isEqualTo(ReservationStatus.PENDING);
        assertThat(PENDING.resolvedAt()).isNull();
        assertThat(PENDING.usageRecordId()).isNull();
    }

    @Test
    void release_and_expiry_resolve_it_and_keep_its_terms() {
        var released = PENDING.release(AT.plusSeconds(5));
        var expired = PENDING.expire(AT.plusSeconds(900));

        assertThat(released.status()).isEqualTo(ReservationStatus.RELEASED);
        assertThat(released.resolvedAt()).isEqualTo(AT.plusSeconds(5));
        assertThat(expired.status()).isEqualTo(ReservationStatus.EXPIRED);
        assertThat(expired.terms()).isEqualTo(PENDING.terms());
        assertThat(expired.usageRecordId()).isNull();
    }

    @Test
    void a_committed_reservation_always_names_its_usage_record() {
        var committed = new Reservation.Committed(PENDING.terms(), "use_1", AT);

        assertThat(committed.status()).isEqualTo(ReservationStatus.COMMITTED);
        assertThat(committed.usageRecordId()).isEqualTo("use_1");
        assertThatThrownBy(() -> new Reservation.Committed(PENDING.terms(), null, AT))
                .isInstanceOf(NullPointerException.class);
    }
}
