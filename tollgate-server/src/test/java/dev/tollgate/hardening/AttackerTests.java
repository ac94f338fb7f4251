package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Http;
import dev.tollgate.platform.security.EndUserTest;
import dev.tollgate.platform.security.Tokens;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Plays an attacker against every endpoint of the API: each is called with no credentials, a read
 * key, another user's token, an expired token, an {@code alg: none} token and a token signed with the
 * wrong key, and must answer exactly as the contract's role columns say. The end user's own token is
 * the control: it reads what it may and writes nothing.
 */
class AttackerTests extends EndUserTest {

    enum Role { ADMIN, SERVICE, READ, USER, PUBLIC }

    enum Credential { NONE, READ_KEY, OTHER_USERS_TOKEN, EXPIRED_TOKEN, UNSIGNED_TOKEN, WRONG_KEY_TOKEN, OWN_TOKEN }

    /**
     * Every endpoint of the API with the roles README's API overview gives. {@code {victim}} is the end
     * user's account, {@code {reservation}} one of its reservations. {@code perAccount} marks reads an
     * end user may make of their own account only.
     */
    record Endpoint(String method, String path, Set<Role> roles, boolean perAccount) {

        static Endpoint of(String method, String path, Role first, Role... more) {
            return new Endpoint(method, path, EnumSet.of(first, more), path.contains("{victim}"));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Endpoint> ENDPOINTS = List.of(
            Endpoint.of("POST", "/v1/accounts", Role.ADMIN, Role.SERVICE),
            Endpoint.of("POST", "/v1/accounts/batch", Role.ADMIN),
            Endpoint.of("GET", "/v1/accounts/{victim}", Role.ADMIN, Role.SERVICE, Role.READ, Role.USER),
            Endpoint.of("GET", "/v1/accounts", Role.ADMIN, Role.READ),
            Endpoint.of("PUT", "/v1/accounts/{victim}/allowance", Role.ADMIN),
            Endpoint.of("POST", "/v1/accounts/{victim}/plan", Role.ADMIN),
            Endpoint.of("POST", "/v1/accounts/{victim}/credits", Role.ADMIN),
            Endpoint.of("POST", "/v1/accounts/{victim}/top-ups", Role.ADMIN, Role.SERVICE),
            Endpoint.of("GET", "/v1/accounts/{victim}/ledger", Role.ADMIN, Role.READ, Role.USER),
            Endpoint.of("GET", "/v1/accounts/{victim}/usage", Role.ADMIN, Role.READ, Role.USER),
            Endpoint.of("GET", "/v1/accounts/{victim}/usage?group_by=day", Role.ADMIN, Role.READ, Role.USER),
            Endpoint.of("GET", "/v1/accounts/{victim}/events", Role.ADMIN, Role.READ, Role.USER),
            Endpoint.of("GET", "/v1/accounts/{victim}/events/stream", Role.ADMIN, Role.USER),
            Endpoint.of("GET", "/v1/plans", Role.ADMIN, Role.SERVICE, Role.READ, Role.USER),
            Endpoint.of("PUT", "/v1/plans/attacker-plan", Role.ADMIN),
            Endpoint.of("GET", "/v1/prices", Role.ADMIN, Role.SERVICE, Role.READ),
            Endpoint.of("PUT", "/v1/prices/openai/attacker-model", Role.ADMIN),
            Endpoint.of("GET", "/v1/prices/openai/gpt-4o/history", Role.ADMIN, Role.SERVICE, Role.READ),
            Endpoint.of("POST", "/v1/reservations", Role.ADMIN, Role.SERVICE),
            Endpoint.of("GET", "/v1/reservations/{reservation}", Role.ADMIN, Role.SERVICE, Role.READ),
            Endpoint.of("POST", "/v1/reservations/{reservation}/commit", Role.ADMIN, Role.SERVICE),
            Endpoint.of("POST", "/v1/reservations/{reservation}/release", Role.ADMIN, Role.SERVICE),
            Endpoint.of("POST", "/v1/usage", Role.ADMIN, Role.SERVICE),
            Endpoint.of("POST", "/v1/webhook-endpoints", Role.ADMIN),
            Endpoint.of("GET", "/v1/webhook-endpoints", Role.ADMIN),
            Endpoint.of("DELETE", "/v1/webhook-endpoints/we_attacker", Role.ADMIN),
            Endpoint.of("POST", "/v1/webhooks/stripe", Role.PUBLIC),
            Endpoint.of("GET", "/v1/admin/reconciliation", Role.ADMIN),
            Endpoint.of("POST", "/v1/api-keys", Role.ADMIN),
            Endpoint.of("GET", "/v1/api-keys", Role.ADMIN),
            Endpoint.of("DELETE", "/v1/api-keys/key_attacker", Role.ADMIN));

    private record Expectation(int status, String code) {
        static final Expectation ALLOWED = new Expectation(0, "");
        static final Expectation CLIENT_ERROR = new Expectation(-1, "");
    }

    /** What the contract says this credential gets from this endpoint. */
    static Expectation expected(Endpoint endpoint, Credential credential) {
        boolean userMay = endpoint.roles().contains(Role.USER);
        if (endpoint.roles().contains(Role.PUBLIC)) {
            // Public endpoints authenticate by signature; a bearer value is still checked if sent.
            return switch (credential) {
                case EXPIRED_TOKEN, UNSIGNED_TOKEN, WRONG_KEY_TOKEN -> new Expectation(401, "invalid_token");
                default -> Expectation.CLIENT_ERROR;
            };
        }
        return switch (credential) {
            case NONE -> new Expectation(401, "unauthorized");
            case EXPIRED_TOKEN, UNSIGNED_TOKEN, WRONG_KEY_TOKEN -> new Expectation(401, "invalid_token");
            case READ_KEY -> endpoint.roles().contains(Role.READ) ? Expectation.ALLOWED
                    : new Expectation(403, "forbidden");
            case OTHER_USERS_TOKEN -> !userMay ? new Expectation(403, "forbidden")
                    : endpoint.perAccount() ? new Expectation(404, "account_not_found") : Expectation.ALLOWED;
            case OWN_TOKEN -> userMay ? Expectation.ALLOWED : new Expectation(403, "forbidden");
        };
    }

    @TestFactory
    Stream<DynamicTest> every_endpoint_answers_every_credential_as_the_contract_says() {
        String victim = anAccount();
        String attacker = anAccount();
        var reservation = admin.post("/v1/reservations", Map.of("account_id", victim, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10));
        assertThat(reservation.status()).as(reservation.toString()).isEqualTo(201);
        String reservationId = reservation.json().path("id").asString();
        Tokens tokens = tokens();
        Map<Credential, Http> callers = Map.of(
                Credential.NONE, http,
                Credential.READ_KEY, http.as(keyWithRole("read")),
                Credential.OTHER_USERS_TOKEN, http.as(tokens.hs256(attacker)),
                Credential.EXPIRED_TOKEN, http.as(tokens.expired(victim)),
                Credential.UNSIGNED_TOKEN, http.as(tokens.unsigned(victim)),
                Credential.WRONG_KEY_TOKEN, http.as(tokens.wrongKey(victim)),
                Credential.OWN_TOKEN, http.as(tokens.rs256(victim)));

        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (Credential credential : Credential.values()) {
                if (credential == Credential.OWN_TOKEN && endpoint.path().endsWith("/stream")) {
                    continue; // a granted stream stays open; the grant itself is covered by the other reads
                }
                String path = endpoint.path().replace("{victim}", victim).replace("{reservation}", reservationId);
                tests.add(DynamicTest.dynamicTest(endpoint + " with " + credential, () -> {
                    var response = send(callers.get(credential), endpoint.method(), path);
                    assertResponse(response, expected(endpoint, credential));
                }));
            }
        }
        return tests.stream();
    }

    private static Http.Response send(Http caller, String method, String path) {
        return switch (method) {
            case "GET" -> caller.get(path);
            case "DELETE" -> caller.delete(path);
            default -> caller.send(method, path, "{}", "application/json");
        };
    }

    private static void assertResponse(Http.Response response, Expectation expected) {
        assertThat(response.status()).as("never a server error: %s", response).isLessThan(500);
        if (expected == Expectation.ALLOWED) {
            assertThat(response.status()).as(response.toString()).isNotIn(401, 403);
            return;
        }
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        if (expected == Expectation.CLIENT_ERROR) {
            assertThat(response.status()).as(response.toString()).isBetween(400, 499);
            return;
        }
        assertThat(response.status()).as(response.toString()).isEqualTo(expected.status());
        assertThat(response.code()).as(response.toString()).isEqualTo(expected.code());
    }

    @TestFactory
    Stream<DynamicTest> another_users_account_is_indistinguishable_from_a_missing_one() {
        String victim = anAccount();
        var attacker = http.as(tokens().hs256(anAccount()));
        String missing = unique("never-created");
        return ENDPOINTS.stream().filter(Endpoint::perAccount).filter(e -> !e.path().endsWith("/stream"))
                .filter(e -> e.roles().contains(Role.USER))
                .map(endpoint -> DynamicTest.dynamicTest(endpoint.toString(), () -> {
                    var other = send(attacker, endpoint.method(), endpoint.path().replace("{victim}", victim));
                    var absent = send(attacker, endpoint.method(), endpoint.path().replace("{victim}", missing));
                    assertThat(other.status()).isEqualTo(404);
                    assertThat(other.text().replace(victim, "ID")).isEqualTo(absent.text().replace(missing, "ID"));
                    assertThat(other.headers().keySet()).isEqualTo(absent.headers().keySet());
                }));
    }
}
