package dev.tollgate.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.platform.security.EndUserTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** The billing page's live stream, called with the end user's own Supabase token. */
class EventStreamEndUserTests extends EndUserTest {

    @Autowired
    Events events;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void an_end_user_streams_their_own_account_and_no_one_elses() throws Exception {
        String mine = anAccount();
        String theirs = anAccount();
        String token = tokens().hs256(mine);
        String base = "http://localhost:" + port + "/v1/accounts/";

        try (var stream = SseClient.connect(base + mine + "/events/stream", token, null)) {
            assertThat(stream.status()).isEqualTo(200);
            long event = transactions.execute(status -> events.append(mine, EventType.LIMIT_ENFORCED,
                    Map.of("code", "insufficient_tokens")));
            var message = stream.next(Duration.ofSeconds(10));
            assertThat(message).isNotNull();
            assertThat(message.id()).isEqualTo("evt_" + event);
        }
        try (var other = SseClient.connect(base + theirs + "/events/stream", token, null)) {
            assertThat(other.status()).isEqualTo(404);
            assertThat(other.body()).contains("account_not_found");
        }
    }
}
