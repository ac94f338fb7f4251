package dev.tollgate.platform.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How end-user JWTs are verified, as Supabase issues them: HS256 with the project's JWT secret
 * ({@code TOLLGATE_JWT_SECRET}), RS256/ES256 with the keys published at {@code TOLLGATE_JWT_JWKS_URL},
 * or both. With neither, every JWT is refused. {@code issuer} is optional; when set, {@code iss} must match.
 */
@ConfigurationProperties("tollgate.jwt")
public record EndUserTokenProperties(
        @Nullable String secret, @Nullable String jwksUrl, @DefaultValue("authenticated") String audience,
        @Nullable String issuer) {

    /** HS256 needs a key of at least 256 bits; Supabase's JWT secrets are 40 characters or more. */
    static final int SECRET_BYTES_MIN = 32;

    public EndUserTokenProperties {
        secret = blankToNull(secret);
        jwksUrl = blankToNull(jwksUrl);
        issuer = blankToNull(issuer);
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("tollgate.jwt.audience (TOLLGATE_JWT_AUDIENCE) must not be blank");
        }
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < SECRET_BYTES_MIN) {
            throw new IllegalArgumentException("tollgate.jwt.secret (TOLLGATE_JWT_SECRET) must be at least "
                    + SECRET_BYTES_MIN + " bytes for HS256");
        }
        if (jwksUrl != null && !isHttpUrl(jwksUrl)) {
            throw new IllegalArgumentException(
                    "tollgate.jwt.jwks-url (TOLLGATE_JWT_JWKS_URL) must be an http or https URL");
        }
    }

    boolean hmacEnabled() {
        return secret != null;
    }

    boolean jwksEnabled() {
        return jwksUrl != null;
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static boolean isHttpUrl(String value) {
        try {
            var uri = new URI(value);
            return uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "EndUserTokenProperties[secret=" + (secret == null ? "unset" : "<redacted>") + ", jwksUrl=" + jwksUrl
                + ", audience=" + audience + ", issuer=" + issuer + "]";
    }
}
