package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ledger.RequestGate.Lane;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class RequestGateFilterTests {

    @Test
    void a_reservation_takes_the_reservation_lane() {
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("POST", "/v1/reservations")))
                .isEqualTo(Lane.RESERVATION);
    }

    @Test
    void commits_releases_and_usage_reports_take_the_settlement_lane() {
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("POST", "/v1/reservations/res_1/commit")))
                .isEqualTo(Lane.SETTLEMENT);
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("POST", "/v1/reservations/res_1/release")))
                .isEqualTo(Lane.SETTLEMENT);
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("POST", "/v1/usage")))
                .isEqualTo(Lane.SETTLEMENT);
    }

    @Test
    void every_other_request_goes_straight_in() {
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("GET", "/v1/reservations/res_1"))).isNull();
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("POST", "/v1/accounts"))).isNull();
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("POST", "/v1/reservations/res_1/other")))
                .isNull();
        assertThat(RequestGateFilter.laneOf(new MockHttpServletRequest("GET", "/v1/usage"))).isNull();
    }
}
