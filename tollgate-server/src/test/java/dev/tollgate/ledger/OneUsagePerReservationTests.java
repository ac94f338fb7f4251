package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.EngineTest;
import dev.tollgate.Http;
import dev.tollgate.Race;
import dev.tollgate.TollgateNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reservation has at most one usage record. Usage records are partitioned by month (V41), so no unique key
 * says so any more; the commit's guarded transition of the locked reservation row does, on any number of
 * nodes.
 */
class OneUsagePerReservationTests extends EngineTest {

    private static final int CLIENTS = 24;
    private static TollgateNode secondNode;

    @BeforeAll
    static void startSecondNode() {
        secondNode = TollgateNode.start(Map.of());
    }

    @AfterAll
    static void stopSecondNode() {
        secondNode.close();
    }

    @Test
    void racing_commits_of_one_reservation_on_two_nodes_write_one_usage_record_and_one_usage_entry()
            throws Exception {
        String account = newAccount("pro");
        String reservation = approvedReservation(account, 100, 400);
        var outputTokens = new AtomicInteger(100);

        // Different keys, so that no answer is an idempotent replay, and different numbers, so that a losing
        // commit cannot be taken for a retry of the winning one.
        List<Http.Response> answers = Race.run(List.of(admin, secondNode.admin()), CLIENTS, node -> {
            int output = outputTokens.incrementAndGet();
            return node.idempotent(unique("commit"))
                    .post("/v1/reservations/" + reservation + "/commit",
                            Map.of("input_tokens", 100, "output_tokens", output));
        });

        assertThat(answers).filteredOn(answer -> answer.status() == 200).hasSize(1);
        assertThat(answers).filteredOn(answer -> answer.status() != 200)
                .hasSize(CLIENTS - 1)
                .allSatisfy(answer -> {
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
                    assertThat(answer.json().path("code").asString()).isEqualTo("reservation_already_committed");
                });
        long winningTokens = answers.stream().filter(answer -> answer.status() == 200).findFirst().orElseThrow()
                .json().path("total_tokens").asLong();

        assertThat(sql.sql("SELECT count(*) FROM usage_record WHERE account_id = :account AND reservation_id = :id")
                        .param("account", account).param("id", reservation).query(Long.class).single())
                .isEqualTo(1);
        assertThat(sql.sql("""
                        SELECT amount FROM ledger_entry
                         WHERE account_id = :account AND meter = 'tokens' AND type IN ('usage', 'overage')
                        """)
                        .param("account", account).query(Long.class).list())
                .containsExactly(winningTokens);
        assertThat(summary(account).path("tokens").path("used").asLong()).isEqualTo(winningTokens);
    }
}
