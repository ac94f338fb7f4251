package dev.tollgate.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Http;
import dev.tollgate.TollgateNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** What the fault tests share: node settings, accounts with small budgets, and the checks after a fault. */
final class FaultFixture {

    /** Tokens per account: a few hundred commits; the first account's runs out after 20, so refusals are tested. */
    static final long ALLOWANCE_TOKENS = 40_000;
    static final long SMALL_ALLOWANCE_TOKENS = 2_000;
    static final int ACCOUNTS = 4;

    private FaultFixture() {}

    /** Settings of every node in a fault test: a quick sweeper and a pool that refuses fast. */
    static Map<String, Object> nodeSettings(String reservationTtl) {
        var settings = new HashMap<String, Object>();
        settings.put("tollgate.ledger.reservation-ttl", reservationTtl);
        settings.put("tollgate.ledger.sweep-interval", "PT1S");
        settings.put("tollgate.database.pool-size", 10);
        settings.put("tollgate.database.connection-timeout", "PT2S");
        return settings;
    }

    static TollgateNode node(String jdbcUrl, String reservationTtl) {
        return TollgateNode.start(jdbcUrl, nodeSettings(reservationTtl));
    }

    static List<String> accounts(Http admin) {
        var accounts = new ArrayList<String>();
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "fault-" + UUID.randomUUID();
            var created = admin.post("/v1/accounts", Map.of("id", id, "plan", "pro"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            var allowance = admin.put("/v1/accounts/" + id + "/allowance",
                    Map.of("tokens_per_period", allowance(accounts.size())));
            assertThat(allowance.status()).as(allowance.toString()).isEqualTo(200);
            accounts.add(id);
        }
        return accounts;
    }

    /** Acknowledged commits missing from usage_record: what the tests print as "lost" (and assert is 0). */
    static long lost(PostgresServer database, MeteringLoad load) throws SQLException {
        try (var connection = database.connect();
                var statement = connection.prepareStatement("SELECT count(*) FROM usage_record WHERE id = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text",
                    load.acks().stream().map(MeteringLoad.Ack::usageId).toArray()));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return load.acks().size() - rows.getLong(1);
            }
        }
    }

    private static long allowance(int index) {
        return index == 0 ? SMALL_ALLOWANCE_TOKENS : ALLOWANCE_TOKENS;
    }

    /**
     * Every commit answered 200 is in usage_record with its tokens, and the ledger holds nothing else for
     * these accounts; no reservation was made twice; no account spent more than its allowance; the
     * reconciliation of each is empty.
     */
    static void nothingLostNothingDoubled(PostgresServer database, Http admin, MeteringLoad load,
            List<String> accounts, List<String> otherReservations) throws SQLException {
        try (var connection = database.connect()) {
            var sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            var recorded = sql.sql("SELECT id, total_tokens FROM usage_record WHERE account_id IN (:accounts)")
                    .param("accounts", accounts)
                    .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            for (var ack : load.acks()) {
                assertThat(recorded).as("acknowledged commit %s", ack).containsEntry(ack.usageId(), ack.totalTokens());
            }
            assertThat(recorded).as("usage records of these accounts").hasSize(load.acks().size());

            var reservations = sql.sql("SELECT id FROM reservation WHERE account_id IN (:accounts)")
                    .param("accounts", accounts).query(String.class).list();
            var expected = new ArrayList<>(load.reservations());
            expected.addAll(otherReservations);
            assertThat(reservations).as("one reservation per reserve call that was answered 201")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        for (int i = 0; i < accounts.size(); i++) {
            String account = accounts.get(i);
            var summary = admin.get("/v1/accounts/" + account);
            assertThat(summary.status()).as(summary.toString()).isEqualTo(200);
            var tokens = summary.json().path("tokens");
            long committed = load.acks().stream().filter(ack -> ack.accountId().equals(account))
                    .mapToLong(MeteringLoad.Ack::totalTokens).sum();
            assertThat(tokens.path("used").asLong()).as("tokens used by %s", account).isEqualTo(committed);
            assertThat(tokens.path("used").asLong() + tokens.path("reserved").asLong())
                    .as("spent and reserved by %s", account).isLessThanOrEqualTo(allowance(i));
            var reconciliation = admin.get("/v1/admin/reconciliation?account_id=" + account);
            assertThat(reconciliation.status()).isEqualTo(200);
            assertThat(reconciliation.json().path("data").size()).as(reconciliation.text()).isZero();
        }
    }
}
