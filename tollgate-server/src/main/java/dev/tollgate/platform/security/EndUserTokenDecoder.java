package dev.tollgate.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies end-user JWTs exactly as Supabase issues them and turns them into {@link Caller#endUser}:
 * {@code sub} is the account id, {@code aud} must be the configured audience, {@code exp} must be
 * present and not passed (with {@link #CLOCK_SKEW}), and the signature must be HS256 with the shared
 * secret or RS256/ES256 with a key from the JWKS. The header's {@code alg} chooses the verifier, so
 * an HS256 token is never checked against a public key and {@code alg: none} is never accepted.
 * Supabase's {@code role} claim is ignored: every token holder is an end user, whatever it says.
 */
final class EndUserTokenDecoder implements JwtDecoder {

    /** Tolerated difference between Supabase's clock and ours for {@code exp} and {@code nbf}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Account ids are at most 128 characters; a longer subject cannot name an account. */
    static final int SUBJECT_LENGTH_MAX = 128;
    static final Duration JWKS_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration JWKS_READ_TIMEOUT = Duration.ofSeconds(3);
    static final int JWKS_SIZE_MAX = 256 * 1024;
    /** Keys are re-read at least this often, so a removed key stops verifying within this time. */
    static final Duration JWKS_CACHE_TTL = Duration.ofMinutes(5);
    /** How long a request waits for a JWKS refresh another request has started. */
    static final Duration JWKS_REFRESH_WAIT = Duration.ofSeconds(5);
    /**
     * An unknown {@code kid} refreshes the JWKS (key rotation), but at most twice per this interval, so
     * tokens with made-up key ids cannot turn Tollgate into a flood of requests to the key server.
     */
    static final Duration JWKS_REFRESH_INTERVAL_MIN = Duration.ofSeconds(30);

    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final @Nullable JwtDecoder hmac;
    private final @Nullable JwtDecoder jwks;

    private EndUserTokenDecoder(@Nullable JwtDecoder hmac, @Nullable JwtDecoder jwks) {
        this.hmac = hmac;
        this.jwks = jwks;
    }

    static EndUserTokenDecoder of(EndUserTokenProperties properties, Clock clock) {
        OAuth2TokenValidator<Jwt> validator = validator(properties, clock);
        NimbusJwtDecoder hmac = null;
        if (properties.hmacEnabled()) {
            var key = new SecretKeySpec(properties.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            hmac = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
            hmac.setJwtValidator(validator);
        }
        NimbusJwtDecoder jwks = null;
        if (properties.jwksEnabled()) {
            jwks = NimbusJwtDecoder.withJwkSource(keySource(properties.jwksUrl()))
                    .jwsAlgorithms(algorithms -> {
                        algorithms.add(SignatureAlgorithm.RS256);
                        algorithms.add(SignatureAlgorithm.ES256);
                    })
                    .build();
            jwks.setJwtValidator(validator);
        }
        return new EndUserTokenDecoder(hmac, jwks);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new BadJwtException("The bearer value is not a JWT");
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw new BadJwtException("Unsigned or encrypted tokens are not accepted");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        JwtDecoder decoder = JWSAlgorithm.HS256.equals(algorithm) ? hmac : ASYMMETRIC.contains(algorithm) ? jwks : null;
        if (decoder == null) {
            throw new BadJwtException("No verifier is configured for tokens signed with " + algorithm);
        }
        return decoder.decode(token);
    }

    /** The principal of a verified token: the end user whose account id is {@code sub}. */
    static AbstractAuthenticationToken toCaller(Jwt jwt) {
        return new CallerAuthentication(Caller.endUser(jwt.getSubject()));
    }

    private static OAuth2TokenValidator<Jwt> validator(EndUserTokenProperties properties, Clock clock) {
        var timestamps = new JwtTimestampValidator(CLOCK_SKEW);
        timestamps.setClock(clock);
        timestamps.setAllowEmptyExpiryClaim(false);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(timestamps);
        validators.add(new JwtClaimValidator<String>(JwtClaimNames.SUB,
                subject -> subject != null && !subject.isBlank() && subject.length() <= SUBJECT_LENGTH_MAX));
        validators.add(new JwtAudienceValidator(properties.audience()));
        if (properties.issuer() != null) {
            validators.add(new JwtIssuerValidator(properties.issuer()));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static JWKSource<SecurityContext> keySource(String url) {
        var retriever = new DefaultResourceRetriever((int) JWKS_CONNECT_TIMEOUT.toMillis(),
                (int) JWKS_READ_TIMEOUT.toMillis(), JWKS_SIZE_MAX);
        try {
            return JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL(), retriever)
                    .cache(JWKS_CACHE_TTL.toMillis(), JWKS_REFRESH_WAIT.toMillis())
                    .rateLimited(JWKS_REFRESH_INTERVAL_MIN.toMillis())
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("tollgate.jwt.jwks-url is not a valid URL", e);
        }
    }
}
