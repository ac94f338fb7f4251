package dev.tollgate.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EndUserTokenTests extends EndUserTest {

    private static String eventsOf(String accountId) {
        return "/v1/accounts/" + accountId + "/events";
    }

    @Test
    void an_hs256_token_reads_its_own_account() {
        String account = anAccount();
        var response = http.as(tokens().hs256(account)).get(eventsOf(account));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    @Test
    void rs256_and_es256_tokens_signed_by_a_published_key_read_their_own_account() {
        String account = anAccount();
        assertThat(http.as(tokens().rs256(account)).get(eventsOf(account)).status()).isEqualTo(200);
        assertThat(http.as(tokens().es256(account)).get(eventsOf(account)).status()).isEqualTo(200);
    }

    @Test
    void another_users_account_looks_exactly_like_a_missing_one() {
        String mine = anAccount();
        String theirs = anAccount();
        var user = http.as(tokens().hs256(mine));

        var other = user.get(eventsOf(theirs));
        var missing = user.get(eventsOf("no-such-" + theirs));

        assertThat(other.status()).isEqualTo(404);
        assertThat(other.code()).isEqualTo("account_not_found");
        assertThat(other.text().replace(theirs, "ID")).isEqualTo(missing.text().replace("no-such-" + theirs, "ID"));
    }

    @Test
    void an_end_user_may_not_write_even_to_their_own_account() {
        String account = anAccount();
        var user = http.as(tokens().hs256(account));
        var response = user.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "10.00"));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo("forbidden");
        assertThat(user.post("/v1/api-keys", Map.of("name", "x", "role", "admin")).status()).isEqualTo(403);
    }

    @Test
    void supabase_role_claims_grant_nothing_more() {
        String account = anAccount();
        var serviceRole = http.as(tokens().hs256(account, claims -> claims.claim("role", "service_role")));
        assertThat(serviceRole.get(eventsOf(account)).status()).isEqualTo(200);
        assertThat(serviceRole.get("/v1/api-keys").status()).isEqualTo(403);
        assertThat(serviceRole.post("/v1/accounts", Map.of("id", unique("acct"))).status()).isEqualTo(403);
    }

    @Test
    void expiry_is_enforced_with_a_small_clock_skew() {
        String account = anAccount();
        Instant now = clock.instant();
        Function<Duration, String> expiringIn = left -> tokens().hs256(account,
                claims -> claims.issueTime(Date.from(now.minus(Duration.ofHours(1))))
                        .expirationTime(Date.from(now.plus(left))));

        assertThat(http.as(expiringIn.apply(Duration.ofSeconds(-10))).get(eventsOf(account)).status())
                .as("within the skew").isEqualTo(200);
        var expired = http.as(expiringIn.apply(EndUserTokenDecoder.CLOCK_SKEW.negated().minusSeconds(5)))
                .get(eventsOf(account));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.code()).isEqualTo("invalid_token");
    }

    @Test
    void a_token_expires_when_tollgates_clock_passes_its_exp() {
        String account = anAccount();
        var user = http.as(tokens().hs256(account));
        assertThat(user.get(eventsOf(account)).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(1).plus(EndUserTokenDecoder.CLOCK_SKEW).plusSeconds(1));
        assertThat(user.get(eventsOf(account)).status()).isEqualTo(401);
    }

    @Test
    void bad_tokens_are_401_invalid_token_problems() {
        String account = anAccount();
        var tokens = tokens();
        Map<String, String> bad = Map.ofEntries(
                Map.entry("expired", tokens.expired(account)),
                Map.entry("alg none", tokens.unsigned(account)),
                Map.entry("wrong secret", tokens.wrongKey(account)),
                Map.entry("forged under a published kid", tokens.forgedWithPublishedKid(account)),
                Map.entry("HS256 keyed with the RSA public key", tokens.hmacWithPublicKey(account)),
                Map.entry("wrong audience", tokens.hs256(account, claims -> claims.audience("anon"))),
                Map.entry("no audience", tokens.hs256(account, claims -> claims.audience((String) null))),
                Map.entry("wrong issuer", tokens.hs256(account, claims -> claims.issuer("https://evil.example"))),
                Map.entry("no exp", tokens.hs256(account, claims -> claims.expirationTime(null))),
                Map.entry("not yet valid", tokens.hs256(account,
                        claims -> claims.notBeforeTime(Date.from(clock.instant().plus(Duration.ofHours(1)))))),
                Map.entry("no subject", tokens.hs256(account, claims -> claims.subject(null))),
                Map.entry("subject too long", tokens.hs256(account, claims -> claims.subject("u".repeat(129)))),
                Map.entry("supabase anon key", tokens.hs256(new JWTClaimsSet.Builder()
                        .issuer("supabase").claim("role", "anon")
                        .issueTime(Date.from(clock.instant()))
                        .expirationTime(Date.from(clock.instant().plus(Duration.ofDays(3650)))).build())),
                Map.entry("garbage in JWT shape", "abc.def.ghi"),
                Map.entry("tampered payload", tamper(tokens.hs256(account))));
        bad.forEach((what, token) -> {
            var response = http.as(token).get(eventsOf(account));
            assertThat(response.status()).as(what + ": " + response).isEqualTo(401);
            assertThat(response.isProblem()).as(what).isTrue();
            assertThat(response.code()).as(what).isEqualTo("invalid_token");
            assertThat(response.headers().get("www-authenticate")).as(what).contains("Bearer error=\"invalid_token\"");
            assertThat(response.text()).as(what).doesNotContain(token);
        });
    }

    @Test
    void a_jwks_rotation_is_picked_up_when_a_new_key_id_appears() {
        String account = anAccount();
        var before = http.as(tokens().es256(account)).get(eventsOf(account));
        assertThat(before.status()).isEqualTo(200);
        int fetches = JWKS.fetches();

        JWKS.rotate();
        var rotatedRsa = http.as(tokens().rs256(account)).get(eventsOf(account));
        var rotatedEc = http.as(tokens().es256(account)).get(eventsOf(account));

        assertThat(rotatedRsa.status()).as(rotatedRsa.toString()).isEqualTo(200);
        assertThat(rotatedEc.status()).as(rotatedEc.toString()).isEqualTo(200);
        assertThat(JWKS.fetches()).as("one refetch serves both new keys").isEqualTo(fetches + 1);
    }

    @Test
    void service_keys_never_reach_the_token_decoder_and_tokens_never_reach_the_key_table() {
        var shapedLikeJwt = http.as("tg_aaa.bbb.ccc").get("/v1/plans");
        assertThat(shapedLikeJwt.status()).isEqualTo(401);
        assertThat(shapedLikeJwt.code()).as("judged as a key").isEqualTo("unauthorized");

        String account = anAccount();
        assertThat(http.as(keyWithRole("read")).get(eventsOf(account)).status()).isEqualTo(200);
    }

    @Test
    void tokens_are_read_from_the_authorization_header_only() {
        String account = anAccount();
        var response = http.get(eventsOf(account) + "?access_token=" + tokens().hs256(account));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("unauthorized");
    }

    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String forged = payload.replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"someone-else\"");
        return parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes())
                + "." + parts[2];
    }

}
