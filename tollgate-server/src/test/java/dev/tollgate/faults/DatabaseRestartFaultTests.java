package dev.tollgate.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.Http;
import dev.tollgate.TollgateNode;
import dev.tollgate.faults.MeteringLoad.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL crashes under load ({@code pg_ctl stop -m immediate}) and comes back: meanwhile every call
 * is answered with the retryable 503 and health is DOWN; afterwards the nodes serve again by themselves
 * and nothing that was acknowledged is missing.
 */
class DatabaseRestartFaultTests {

    private static final int CLIENTS = 16;
    private static final Duration RECOVERY_MAX = Duration.ofSeconds(5);
    /**
     * The nodes' connection timeout (2 s) and a margin for a loaded machine: the calls waiting when the
     * database died wait out one timeout, every later one is refused at once. No call waits in turn
     * behind others' timeouts, and none for the 60 s socket timeout.
     */
    private static final Duration OUTAGE_ANSWER_MAX = Duration.ofSeconds(6);

    private Path work;
    private PostgresServer database;
    private TollgateNode first;
    private TollgateNode second;

    @BeforeEach
    void start() {
        work = PostgresServer.workDirectory();
        database = PostgresServer.primary(work, "primary", List.of());
        first = FaultFixture.node(database.jdbcUrl(), "PT60S");
        second = FaultFixture.node(database.jdbcUrl(), "PT60S");
    }

    @AfterEach
    void stop() {
        second.close();
        first.close();
        database.close();
    }

    @Test
    void a_database_crash_under_load_is_answered_503_and_loses_no_acknowledged_commit() throws Exception {
        var nodes = List.of(first.admin(), second.admin());
        var accounts = FaultFixture.accounts(first.admin());
        var load = new MeteringLoad(nodes, accounts, CLIENTS);
        load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCommits() >= 100);

        database.stopImmediately();
        load.phase(Phase.OUTAGE);
        for (Http node : nodes) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var health = node.as(null).get("/actuator/health");
                assertThat(health.status()).isEqualTo(503);
                assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
            });
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(load.outageAnswerCount())
                .as(load::summary).isGreaterThanOrEqualTo(4L * CLIENTS));
        int acknowledgedBeforeRestart = load.acknowledgedCommits();

        // From here on answers may be successes again: only those sent and received before are the outage's.
        load.phase(Phase.RECOVERED);
        database.start();
        long restartedAt = System.nanoTime();
        for (Http node : nodes) {
            await().atMost(RECOVERY_MAX).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(node.as(null).get("/actuator/health").status()).isEqualTo(200);
                var summary = node.get("/v1/accounts/" + accounts.getFirst());
                assertThat(summary.status()).isEqualTo(200);
            });
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - restartedAt).toMillis();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCommitsAfterRecovery() >= 100);
        load.stop();

        System.out.printf("database restart: %s, acknowledged before the restart=%d, serving again %d ms after "
                + "PostgreSQL accepted connections, lost=%d%n", load.summary(), acknowledgedBeforeRestart,
                recoveredMillis, FaultFixture.lost(database, load));
        assertThat(load.unexpected()).as("answers other than 2xx, 402 and 503 database_unavailable").isEmpty();
        assertThat(load.outageAnswers()).isNotEmpty().allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.code()).isEqualTo("database_unavailable");
            assertThat(answer.retryable()).isTrue();
            assertThat(answer.retryAfter()).isTrue();
            assertThat(answer.took()).as("an outage answer's time").isLessThan(OUTAGE_ANSWER_MAX);
        });
        FaultFixture.nothingLostNothingDoubled(database, first.admin(), load, accounts, List.of());
    }
}
