package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's "Java client" example, line for line: if it stops compiling or working, so does this test. */
class ReadmeExampleTests extends ClientTest {

    private final List<String> shown = new ArrayList<>();

    private record Answer(long inputTokens, long outputTokens) {}

    private Answer callTheModel() {
        return new Answer(1100, 350);
    }

    private void show(String message) {
        shown.add(message);
    }

    /** README's example, line for line between the markers. */
    private void readmeExample(String baseUrl, String apiKey, String userId) {
        // README begins
        TollgateClient tollgate = TollgateClient.builder().baseUrl(baseUrl).apiKey(apiKey).build();  // one per app

        var request = ReserveRequest.builder(userId, "openai", "gpt-4o").inputTokens(1200).maxOutputTokens(800).build();
        try (Reservation reservation = tollgate.reserve(request)) {   // closing it uncommitted releases it
            Answer answer = callTheModel();
            reservation.commit(Usage.of(answer.inputTokens(), answer.outputTokens()));
        } catch (DenialException denied) {
            show(denied.getMessage());    // the seed's message; denied.reason() is a DenialReason
        }
        // README ends
    }

    @Test
    void the_readme_example_commits_what_the_model_used_and_shows_a_denial_word_for_word() {
        String userId = newAccount("trial");
        for (int call = 0; call < 4; call++) {
            readmeExample(tollgate.baseUrl(), RealTollgate.ADMIN_KEY, userId);
        }

        assertThat(client.account(userId).tokens().used()).isEqualTo(3 * 1450);
        assertThat(shown).containsExactly(
                "Insufficient tokens. You have 1650 tokens remaining, but this request needs ~2000 tokens.");
    }
}
