package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnknownFieldsTests {

    private static final List<String> RESERVE_FIELDS = List.of("account_id", "provider", "model", "input_tokens",
            "prompt", "messages", "max_output_tokens", "byok", "job_type", "job_id", "conversation_id", "metadata");

    @ParameterizedTest
    @CsvSource({
            "max_output_token, max_output_tokens",
            "modle, model",
            "jobid, job_id",
            "acount_id, account_id",
            "accountId, account_id",
            "conversationId, conversation_id",
            "bypk, byok"})
    void a_near_miss_is_pointed_at_the_field_it_meant(String unknown, String meant) {
        assertThat(UnknownFields.suggestion(unknown, RESERVE_FIELDS)).contains(meant);
    }

    @ParameterizedTest
    @CsvSource({"max_tokens", "temperature", "user_id", "stream"})
    void a_field_more_than_two_edits_from_every_known_one_gets_no_guess(String unknown) {
        assertThat(UnknownFields.suggestion(unknown, RESERVE_FIELDS)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"plan, plan, 0", "pln, plan, 1", "descritpion, description, 1", "descripton, description, 1",
            "abc, xyz, 3", "'', ab, 2"})
    void distance_counts_insertions_deletions_substitutions_and_swaps(String a, String b, int distance) {
        assertThat(UnknownFields.distance(a, b)).isEqualTo(distance);
        assertThat(UnknownFields.distance(b, a)).isEqualTo(distance);
    }

    @ParameterizedTest
    @CsvSource({"pln, pln, 'Unknown field ''pln''. Did you mean ''plan''?'",
            "accounts[2].pln, pln, 'Unknown field ''accounts[2].pln''. Did you mean ''accounts[2].plan''?'"})
    void the_message_names_the_path_and_the_likely_field(String path, String unknown, String message) {
        var known = List.of("id", "plan", "email", "metadata");
        assertThat(UnknownFields.message(path, UnknownFields.suggestedPath(path, unknown, known))).isEqualTo(message);
    }
}
