package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;

/**
 * Base of the tests that move value: helpers to create accounts and reserve, and after each test a
 * reconciliation of every account the test created, which must be empty.
 */
public abstract class EngineTest extends IntegrationTest {

    private final List<String> accounts = new ArrayList<>();

    protected String newAccount(String plan) {
        String id = unique("acct");
        var created = admin.post("/v1/accounts", Map.of("id", id, "plan", plan));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        accounts.add(id);
        return id;
    }

    /** Releases the account's pending reservations, so that the test leaves nothing held. */
    protected void releaseAll(String account) {
        sql.sql("SELECT id FROM reservation WHERE account_id = :id AND status = 'pending'").param("id", account)
                .query(String.class).list()
                .forEach(id -> admin.post("/v1/reservations/" + id + "/release", null));
    }

    protected void track(String accountId) {
        accounts.add(accountId);
    }

    protected Http.Response reserve(String accountId, long inputTokens, long maxOutputTokens) {
        return reserve(accountId, Map.of("input_tokens", inputTokens, "max_output_tokens", maxOutputTokens));
    }

    protected Http.Response reserve(String accountId, Map<String, Object> fields) {
        var body = new HashMap<String, Object>(Map.of("account_id", accountId, "provider", "openai", "model", "gpt-4o"));
        body.putAll(fields);
        return admin.post("/v1/reservations", body);
    }

    protected String approvedReservation(String accountId, long inputTokens, long maxOutputTokens) {
        var response = reserve(accountId, inputTokens, maxOutputTokens);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().path("id").asString();
    }

    protected Http.Response commit(String reservationId, long inputTokens, long outputTokens) {
        return admin.post("/v1/reservations/" + reservationId + "/commit",
                Map.of("input_tokens", inputTokens, "output_tokens", outputTokens));
    }

    /** Reserves and commits exactly {@code tokens} of usage. */
    protected void use(String accountId, long tokens) {
        String id = approvedReservation(accountId, 0, tokens);
        var committed = commit(id, 0, tokens);
        assertThat(committed.status()).as(committed.toString()).isEqualTo(200);
    }

    protected JsonNode summary(String accountId) {
        var response = admin.get("/v1/accounts/" + accountId);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    protected List<String> eventTypes(String accountId) {
        var types = new ArrayList<String>();
        admin.get("/v1/accounts/" + accountId + "/events?limit=200").json().path("data")
                .forEach(event -> types.add(event.path("type").asString()));
        return types;
    }

    @AfterEach
    void ledgerReconciles() {
        for (String account : accounts) {
            var reconciliation = admin.get("/v1/admin/reconciliation?account_id="
                    + java.net.URLEncoder.encode(account, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(reconciliation.status()).isEqualTo(200);
            assertThat(reconciliation.json().path("data").size())
                    .as("reconciliation of %s: %s", account, reconciliation.text()).isZero();
        }
    }
}
