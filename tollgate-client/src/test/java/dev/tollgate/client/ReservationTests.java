package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A reservation is settled exactly once, and closing an unsettled one gives its amounts back. */
class ReservationTests extends ClientTest {

    @Test
    void closing_a_reservation_that_was_never_committed_releases_it() {
        String account = newAccount("trial");
        String id;
        try (Reservation reservation = client.reserve(request(account, 1000, 1000).build())) {
            id = reservation.id();
            assertThat(client.account(account).tokens().reserved()).isEqualTo(2000);
        }
        assertThat(client.reservation(id).status()).isEqualTo("released");
        assertThat(client.account(account).tokens().reserved()).isZero();
    }

    @Test
    void a_model_call_that_throws_inside_try_with_resources_releases_the_reservation() {
        String account = newAccount("trial");
        String[] id = new String[1];
        assertThatThrownBy(() -> {
            try (Reservation reservation = client.reserve(request(account, 1000, 1000).build())) {
                id[0] = reservation.id();
                throw new IllegalStateException("the model timed out");
            }
        }).hasMessage("the model timed out");
        assertThat(client.reservation(id[0]).status()).isEqualTo("released");
    }

    @Test
    void closing_a_committed_reservation_keeps_the_commit_and_a_second_commit_is_refused() {
        String account = newAccount("trial");
        Reservation reservation = client.reserve(request(account, 1000, 1000).build());
        UsageRecord usage = reservation.commit(Usage.of(1234, 567));
        reservation.close();
        assertThat(usage.totalTokens()).isEqualTo(1801);
        assertThat(client.reservation(reservation.id()).status()).isEqualTo("committed");
        assertThat(client.account(account).tokens().used()).isEqualTo(1801);
        assertThatThrownBy(() -> reservation.commit(Usage.of(1, 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_commit_beyond_the_reservation_is_recorded_in_full_as_overage() {
        String account = newAccount("trial");
        try (Reservation reservation = client.reserve(request(account, 100, 100).build())) {
            UsageRecord usage = reservation.commit(Usage.of(1000, 5500));
            assertThat(usage.totalTokens()).isEqualTo(6500);
            assertThat(usage.overageTokens()).isPositive();
        }
        assertThat(client.account(account).tokens().used()).isEqualTo(6500);
    }
}
