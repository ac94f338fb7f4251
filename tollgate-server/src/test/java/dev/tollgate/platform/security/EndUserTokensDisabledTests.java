package dev.tollgate.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The default configuration: no JWT secret and no JWKS, so no end-user token is accepted. */
class EndUserTokensDisabledTests extends IntegrationTest {

    @Test
    void without_a_secret_or_jwks_every_jwt_is_refused() {
        var tokens = new Tokens(EndUserTest.JWT_SECRET, JwksServer.start(), Clock.systemUTC());
        var response = http.as(tokens.hs256("some-user")).get("/v1/plans");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo("invalid_token");
        assertThat(http.as(tokens.rs256("some-user")).get("/v1/plans").status()).isEqualTo(401);
    }
}
