package dev.tollgate.platform.security;

import dev.tollgate.IntegrationTest;
import java.time.Instant;
import java.sql.Timestamp;
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

    /** An account row only: enough for the account guard, independent of the account API. */
    protected String anAccountRow() {
        String id = unique("user");
        Timestamp now = Timestamp.from(Instant.now());
        sql.sql("INSERT INTO account (id, created_at, updated_at) VALUES (:id, :now, :now)")
                .param("id", id)
                .param("now", now)
                .update();
        return id;
    }
}
