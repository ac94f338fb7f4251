package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenEstimatorTests {

    private final TokenEstimator estimator = new TokenEstimator();

    /** The example of OpenAI's cookbook "How to count tokens with tiktoken", with the counts its API reported. */
    private static final List<Map<String, Object>> COOKBOOK_MESSAGES = List.of(
            Map.of("role", "system", "content",
                    "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
            Map.of("role", "system", "name", "example_user", "content",
                    "New synergies will help drive top-line growth."),
            Map.of("role", "system", "name", "example_assistant", "content",
                    "Things working well together will increase revenue."),
            Map.of("role", "system", "name", "example_user", "content",
                    "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."),
            Map.of("role", "system", "name", "example_assistant", "content",
                    "Let's talk later when we're less busy about how to do better."),
            Map.of("role", "user", "content",
                    "This late pivot means we don't have time to boil the ocean for the client deliverable."));

    @Test
    void openai_text_is_counted_with_the_model_tokenizer() {
        // ["t", "ik", "token", " is", " great", "!"] in cl100k_base.
        assertThat(estimator.countText("openai", "gpt-4", "tiktoken is great!")).isEqualTo(6);
        assertThat(estimator.countText("openai", "gpt-3.5-turbo", "tiktoken is great!")).isEqualTo(6);
        assertThat(estimator.countText("openai", "gpt-4o", "hello world")).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        "gpt-3.5-turbo, 129",
        "gpt-4, 129",
        "gpt-4-0613, 129",
        "gpt-4o, 124",
        "gpt-4o-mini-2024-07-18, 124",
        "GPT-4o, 124",
    })
    void openai_messages_match_the_prompt_tokens_the_api_reports(String model, long tokens) {
        assertThat(estimator.countMessages("openai", model, COOKBOOK_MESSAGES)).isEqualTo(tokens);
    }

    @Test
    void o200k_and_cl100k_models_count_differently() {
        String text = "Let's circle back when we have more bandwidth to touch base on opportunities.";
        long o200k = estimator.countText("openai", "gpt-5", text);
        assertThat(estimator.countText("openai", "o3", text)).isEqualTo(o200k);
        assertThat(estimator.countText("openai", "gpt-4.1-nano", text)).isEqualTo(o200k);
        assertThat(estimator.countText("openai", "gpt-4-turbo", text))
                .isEqualTo(estimator.countText("openai", "gpt-3.5-turbo", text));
    }

    @Test
    void special_token_markers_in_user_text_are_counted_as_text() {
        assertThat(estimator.countText("openai", "gpt-4o", "<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void other_models_are_estimated_as_one_token_per_four_characters_rounded_up() {
        assertThat(estimator.countText("anthropic", "claude-sonnet-4-5", "")).isZero();
        assertThat(estimator.countText("anthropic", "claude-sonnet-4-5", "abcd")).isEqualTo(1);
        assertThat(estimator.countText("anthropic", "claude-sonnet-4-5", "abcde")).isEqualTo(2);
        assertThat(estimator.countText("google", "gemini-2.5-pro", "tiktoken is great!")).isEqualTo(5);
        // Characters, not UTF-16 units: four emoji are four characters.
        assertThat(estimator.countText("anthropic", "claude-3-haiku", "😀😀😀😀")).isEqualTo(1);
    }

    @Test
    void openai_models_behind_other_provider_names_use_the_tokenizer() {
        assertThat(estimator.countText("azure", "my-deployment", "tiktoken is great!")).isEqualTo(
                estimator.countText("openai", "gpt-4o", "tiktoken is great!"));
        assertThat(estimator.countText("openrouter", "gpt-4", "tiktoken is great!")).isEqualTo(6);
    }

    @Test
    void other_models_count_role_name_and_text_parts_without_chat_overhead() {
        List<Map<String, Object>> messages = List.of(
                Map.of("role", "user", "content", "abcdefgh"),
                Map.of("role", "assistant", "content", List.of(
                        Map.of("type", "text", "text", "abcd"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png")),
                        Map.of("type", "text", "text", "abcdefghi"))));
        // "user" 1 + 2, then "assistant" 3 + 1 + 3.
        assertThat(estimator.countMessages("anthropic", "claude-sonnet-4", messages)).isEqualTo(10);
    }

    @Test
    void openai_content_parts_and_tool_calls_are_counted() {
        var asText = estimator.countMessages("openai", "gpt-4o",
                List.of(Map.of("role", "user", "content", "Describe this picture please")));
        var asParts = estimator.countMessages("openai", "gpt-4o", List.of(Map.of("role", "user", "content",
                List.of(Map.of("type", "text", "text", "Describe this picture please"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png"))))));
        assertThat(asParts).isEqualTo(asText);

        Map<String, Object> call = Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "call_1",
                "type", "function", "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"))));
        long withCall = estimator.countMessages("openai", "gpt-4o", List.of(call));
        long empty = estimator.countMessages("openai", "gpt-4o", List.of(Map.of("role", "assistant")));
        assertThat(withCall).isGreaterThan(empty + 4);
    }

    @Test
    void no_messages_are_no_tokens() {
        assertThat(estimator.countMessages("openai", "gpt-4o", List.of())).isZero();
        assertThat(estimator.countMessages("anthropic", "claude-3-haiku", List.of())).isZero();
    }
}
