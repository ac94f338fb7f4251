package dev.tollgate.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.TollgateNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node dies (SIGKILL) under load. Its clients retry on the other node with the same Idempotency-Keys
 * and get exactly one effect each; the reservations it leaves behind expire on their TTL by the other
 * node's sweeper; nothing acknowledged is lost and no account overspends.
 */
class NodeCrashFaultTests {

    private static final int CLIENTS = 32;
    private static final String RESERVATION_TTL = "PT8S";
    private static final int HELD_RESERVATIONS = 5;

    private Path work;
    private PostgresServer database;
    private TollgateNode survivor;
    private TollgateProcess victim;

    @BeforeEach
    void start() throws Exception {
        work = PostgresServer.workDirectory();
        database = PostgresServer.primary(work, "primary", List.of());
        survivor = FaultFixture.node(database.jdbcUrl(), RESERVATION_TTL);
        victim = TollgateProcess.start(database.jdbcUrl(), FaultFixture.nodeSettings(RESERVATION_TTL));
    }

    @AfterEach
    void stop() throws Exception {
        victim.close();
        survivor.close();
        database.close();
    }

    @Test
    void a_node_killed_under_load_leaves_only_reservations_that_expire_and_retries_take_effect_once()
            throws Exception {
        var accounts = FaultFixture.accounts(survivor.admin());
        // Reservations whose callers died with the node: nobody will ever commit or release them.
        var held = new ArrayList<String>();
        for (int i = 0; i < HELD_RESERVATIONS; i++) {
            var reserved = victim.admin().post("/v1/reservations", Map.of("account_id", accounts.get(1 + i % 3),
                    "provider", "openai", "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10));
            assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
            held.add(reserved.json().path("id").asString());
        }
        var load = new MeteringLoad(List.of(victim.admin(), survivor.admin()), accounts, CLIENTS);
        load.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCommits() >= 100);

        victim.kill();
        int acknowledgedAtKill = load.acknowledgedCommits();
        await().atMost(Duration.ofSeconds(60)).until(() -> load.acknowledgedCommits() >= acknowledgedAtKill + 100);
        load.stop();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : held) {
                var reservation = survivor.admin().get("/v1/reservations/" + id);
                assertThat(reservation.json().path("status").asString()).as(id).isEqualTo("expired");
            }
        });
        System.out.printf("node crash: %s, acknowledged before the kill=%d, held reservations expired=%d, lost=%d%n",
                load.summary(), acknowledgedAtKill, held.size(), FaultFixture.lost(database, load));
        assertThat(load.unexpected()).as("answers other than 2xx, 402 and 503 database_unavailable").isEmpty();
        assertThat(load.connectionFailures()).as("calls in flight on the killed node, retried on the other").isPositive();
        for (String account : accounts) {
            assertThat(survivor.admin().get("/v1/accounts/" + account).json().path("tokens").path("reserved")
                    .asLong()).as("tokens still reserved by %s", account).isZero();
        }
        FaultFixture.nothingLostNothingDoubled(database, survivor.admin(), load, accounts, held);
    }
}
