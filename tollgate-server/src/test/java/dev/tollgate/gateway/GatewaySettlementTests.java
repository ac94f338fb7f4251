package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import dev.tollgate.TollgateNode;
import dev.tollgate.gateway.FakeUpstream.Script;
import java.io.IOException;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The commit follows the answer: a client never waits for it, and the usage still reaches the ledger, also
 * when the node stops right after answering. The commit is held back by locking the reservation's row from
 * the test, as a busy database would.
 */
class GatewaySettlementTests extends GatewayTest {

    @Autowired
    DataSource dataSource;

    @Test
    void a_whole_answer_reaches_the_client_while_its_commit_waits_for_the_database() throws Exception {
        String account = newAccount("lite");
        String marker = unique("answer-first");
        UPSTREAM.script(marker, Script.answer(321, 45, "Hello", " there"));
        var upstreamHold = UPSTREAM.hold(marker);
        OpenAIClient client = openAi(gatewayKey(account));

        var answer = CompletableFuture.supplyAsync(() -> client.chat().completions().create(params(marker)));
        try (var lock = lockReservationOf(account)) {
            upstreamHold.countDown();

            ChatCompletion completion = answer.get(10, TimeUnit.SECONDS);
            assertThat(completion.choices().getFirst().message().content()).contains("Hello there");
            assertThat(pendingReservations(account)).as("the commit waits behind the lock").isEqualTo(1);
        }

        var usage = onlyUsage(account);
        assertThat(usage.path("input_tokens").asLong()).isEqualTo(321);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(45);
        assertThat(usage.path("metadata").path("usage_source").asString()).isEqualTo("provider");
    }

    @Test
    void a_stopping_node_commits_the_usage_of_the_answers_it_has_given() throws Exception {
        String account = newAccount("lite");
        String marker = unique("stop");
        UPSTREAM.script(marker, Script.answer(222, 33, "Bye"));
        var upstreamHold = UPSTREAM.hold(marker);
        var node = TollgateNode.start(gatewayProperties());
        int port = node.port();
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/openai/v1")
                .apiKey(gatewayKey(account)).maxRetries(0).build();

        var answer = CompletableFuture.supplyAsync(() -> client.chat().completions().create(params(marker)));
        CompletableFuture<Void> stopped;
        try (var lock = lockReservationOf(account)) {
            upstreamHold.countDown();
            assertThat(answer.get(10, TimeUnit.SECONDS).choices()).hasSize(1);

            stopped = CompletableFuture.runAsync(node::close);
            // The web server has stopped: the node is shutting down with the commit still queued behind the lock.
            Awaitility.await().atMost(SETTLED_WAIT_MAX).until(() -> !accepts(port));
            assertThat(stopped).isNotDone();
        }
        stopped.get(20, TimeUnit.SECONDS);

        assertThat(pendingReservations(account)).as("committed before the node stopped").isZero();
        assertThat(onlyUsage(account).path("output_tokens").asLong()).isEqualTo(33);
    }

    /** Locks the account's one reservation, once the gateway has made it, in a transaction of the test's own. */
    private RowLock lockReservationOf(String account) throws SQLException {
        Awaitility.await().atMost(SETTLED_WAIT_MAX).until(() -> pendingReservations(account) == 1);
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        try (var statement = connection.prepareStatement(
                "SELECT id FROM reservation WHERE account_id = ? AND status = 'pending' FOR UPDATE")) {
            statement.setString(1, account);
            statement.executeQuery().close();
        }
        return new RowLock(connection);
    }

    private record RowLock(Connection connection) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            connection.rollback();
            connection.close();
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket("localhost", port)) {
            return socket.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }
}
