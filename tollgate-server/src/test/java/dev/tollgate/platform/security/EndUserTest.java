package dev.tollgate.platform.security;

import dev.tollgate.IntegrationTest;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that call Tollgate as end users: Tollgate accepts HS256 tokens signed with
 * {@link #JWT_SECRET} and RS256/ES256 tokens signed by a key of {@link #JWKS}, like a Supabase project
 * that has both its legacy secret and asymmetric signing keys. All subclasses share one application.
 */
public abstract class EndUserTest extends IntegrationTest {

    public static final String JWT_SECRET = "test-supabase-jwt-secret-with-at-least-32-characters";
    protected static final JwksServer JWKS = JwksServer.start();

    @DynamicPropertySource
    static void endUserTokens(DynamicPropertyRegistry registry) {
        registry.add("tollgate.jwt.secret", () -> JWT_SECRET);
        registry.add("tollgate.jwt.jwks-url", JWKS::url);
        registry.add("tollgate.jwt.issuer", () -> Tokens.ISSUER);
    }

    protected Tokens tokens() {
        return new Tokens(JWT_SECRET, JWKS, clock);
    }

    /** A new account, created by the admin. */
    protected String anAccount() {
        String id = unique("user");
        var created = admin.post("/v1/accounts", Map.of("id", id));
        if (created.status() != 201) {
            throw new IllegalStateException("could not create an account: " + created);
        }
        return id;
    }
}
