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
 * The deployment README's "High availability" describes: a primary and a synchronous streaming standby,
 * nodes whose JDBC URL lists both with {@code targetServerType=primary}. The primary dies under load,
 * the standby is promoted, and the nodes write to it without a restart; every commit acknowledged before
 * the failover is on the new primary, because with synchronous replication "acknowledged" means "on the
 * standby too".
 */
class FailoverFaultTests {

    private static final int CLIENTS = 16;
    private static final String STANDBY_NAME = "tollgate_standby";
    private static final Duration RECOVERY_MAX = Duration.ofSeconds(10);

    private Path work;
    private PostgresServer primary;
    private PostgresServer standby;
    private TollgateNode first;
    private TollgateNode second;

    @BeforeEach
    void start() throws Exception {
        work = PostgresServer.workDirectory();
        primary = PostgresServer.primary(work, "primary", List.of(
                "synchronous_standby_names = '" + STANDBY_NAME + "'",
                "synchronous_commit = on"));
        standby = PostgresServer.standbyOf(primary, work, "standby", STANDBY_NAME);
        try (var connection = primary.connect()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (var rows = connection.createStatement().executeQuery(
                        "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")) {
                    rows.next();
                    return rows.getInt(1) == 1;
                }
            });
        }
        String url = "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port()
                + "/postgres?targetServerType=primary&hostRecheckSeconds=1";
        first = FaultFixture.node(url, "PT60S");
        second = FaultFixture.node(url, "PT60S");
    }

    @AfterEach
    void stop() {
        second.close();
        first.close();
        standby.close();
        primary.close();
    }

    @Test
    void promoting_a_synchronous_standby_after_the_primary_dies_loses_no_acknowledged_commit() throws Exception {
        var nodes = List.of(first.admin(), second.admin());
        var accounts = FaultFixture.accounts(first.admin());
        var load = new MeteringLoad(nodes, accounts, CLIENTS);
        load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCommits() >= 100);

        primary.stopImmediately();
        load.phase(Phase.OUTAGE);
        int acknowledgedAtFailure = load.acknowledgedCommits();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.outageAnswerCount() >= CLIENTS);

        load.phase(Phase.RECOVERED);
        standby.promote();
        long promotedAt = System.nanoTime();
        for (Http node : nodes) {
            await().atMost(RECOVERY_MAX).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(node.as(null).get("/actuator/health").status()).isEqualTo(200);
                assertThat(node.get("/v1/accounts/" + accounts.getFirst()).status()).isEqualTo(200);
            });
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - promotedAt).toMillis();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCommitsAfterRecovery() >= 100);
        load.stop();

        System.out.printf("failover: %s, acknowledged before the primary died=%d, serving on the promoted standby "
                + "%d ms after promotion, lost=%d%n", load.summary(), acknowledgedAtFailure, recoveredMillis,
                FaultFixture.lost(standby, load));
        assertThat(load.unexpected()).as("answers other than 2xx, 402 and 503 database_unavailable").isEmpty();
        assertThat(load.outageAnswers()).isNotEmpty().allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.code()).isEqualTo("database_unavailable");
        });
        FaultFixture.nothingLostNothingDoubled(standby, first.admin(), load, accounts, List.of());
    }
}
