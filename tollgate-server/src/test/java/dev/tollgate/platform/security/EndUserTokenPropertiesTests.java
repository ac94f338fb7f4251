package dev.tollgate.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class EndUserTokenPropertiesTests {

    @Test
    void blank_values_mean_unset() {
        var properties = new EndUserTokenProperties(" ", "", "authenticated", "");
        assertThat(properties.hmacEnabled()).isFalse();
        assertThat(properties.jwksEnabled()).isFalse();
        assertThat(properties.issuer()).isNull();
    }

    @Test
    void a_secret_too_short_for_hs256_is_refused_at_startup() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EndUserTokenProperties("short-secret", null, "authenticated", null))
                .withMessageContaining("TOLLGATE_JWT_SECRET")
                .withMessageNotContaining("short-secret");
    }

    @Test
    void the_jwks_url_must_be_http_or_https() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EndUserTokenProperties(null, "file:///etc/passwd", "authenticated", null));
        assertThat(new EndUserTokenProperties(null, "https://x.supabase.co/auth/v1/.well-known/jwks.json",
                "authenticated", null).jwksEnabled()).isTrue();
    }

    @Test
    void to_string_never_shows_the_secret() {
        String secret = "a-supabase-jwt-secret-of-forty-characters!";
        assertThat(new EndUserTokenProperties(secret, null, "authenticated", null).toString())
                .doesNotContain(secret)
                .contains("<redacted>");
    }
}
