package dev.tollgate.gateway;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads the usage a provider reports, in each wire format: OpenAI Chat Completions and Embeddings
 * ({@code prompt_tokens}, {@code completion_tokens}, {@code prompt_tokens_details.cached_tokens}), OpenAI
 * Responses ({@code input_tokens}, {@code output_tokens}, {@code input_tokens_details.cached_tokens}) and
 * Anthropic ({@code input_tokens} excludes cache reads and writes, which are added to it here, since the
 * ledger counts both as parts of input; writes are kept apart, priced at the model's cache-write price, and of
 * them the one-hour writes of {@code cache_creation.ephemeral_1h_input_tokens}, priced at its one-hour price).
 */
final class UsageReader {

    private UsageReader() {}

    /** The usage object of a whole (not streamed) response body. */
    static Optional<Usage> ofBody(Endpoint endpoint, JsonNode body) {
        return of(endpoint, body.path("usage"));
    }

    static Optional<Usage> of(Endpoint endpoint, JsonNode usage) {
        if (!usage.isObject()) {
            return Optional.empty();
        }
        return Optional.of(switch (endpoint) {
            case CHAT_COMPLETIONS, EMBEDDINGS -> new Usage(usage.path("prompt_tokens").asLong(0),
                    usage.path("completion_tokens").asLong(0),
                    usage.path("prompt_tokens_details").path("cached_tokens").asLong(0), false);
            case RESPONSES -> new Usage(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0),
                    usage.path("input_tokens_details").path("cached_tokens").asLong(0), false);
            case MESSAGES, COUNT_TOKENS -> {
                long cacheRead = usage.path("cache_read_input_tokens").asLong(0);
                long cacheWrite = usage.path("cache_creation_input_tokens").asLong(0);
                long input = Math.addExact(Math.addExact(usage.path("input_tokens").asLong(0), cacheRead), cacheWrite);
                long cacheWrite1h = usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0);
                yield new Usage(input, usage.path("output_tokens").asLong(0), cacheRead, cacheWrite, cacheWrite1h,
                        false);
            }
        });
    }

    /** The generated text of a whole response, to count when the provider reported no usage. */
    static String textOf(Endpoint endpoint, JsonNode body) {
        var text = new StringBuilder();
        switch (endpoint) {
            case CHAT_COMPLETIONS -> body.path("choices").forEach(choice ->
                    text.append(choice.path("message").path("content").asString("")));
            case RESPONSES -> body.path("output").forEach(item -> item.path("content").forEach(part ->
                    text.append(part.path("text").asString(""))));
            case MESSAGES -> body.path("content").forEach(block -> text.append(block.path("text").asString("")));
            case EMBEDDINGS, COUNT_TOKENS -> { }
        }
        return text.toString();
    }
}
