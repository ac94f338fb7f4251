package dev.tollgate.gateway;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows one streamed answer event by event: the usage the provider reports and the text streamed so
 * far (counted by the tokenizer if the stream ends before its usage). Where the usage sits:
 * OpenAI Chat Completions in a last chunk with {@code choices: []} (present because the gateway asks for
 * it with {@code stream_options.include_usage}); OpenAI Responses in {@code response.completed},
 * {@code response.incomplete} or {@code response.failed}; Anthropic input in {@code message_start} and
 * output (cumulative) in {@code message_delta}.
 */
final class StreamTracker {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Endpoint endpoint;
    private final boolean clientWantsUsage;
    private final StringBuilder text = new StringBuilder();
    private @Nullable Usage reported;
    /** The input of an Anthropic stream, once {@code message_start} (or a {@code message_delta}) reported it. */
    private @Nullable Usage anthropicInput;
    private long anthropicOutput;
    private boolean finished;

    StreamTracker(Endpoint endpoint, boolean clientWantsUsage) {
        this.endpoint = endpoint;
        this.clientWantsUsage = clientWantsUsage;
    }

    /** Takes in one event; false when it must not reach the client (the usage chunk it did not ask for). */
    boolean observe(SseEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.equals("[DONE]")) {
            finished |= data.equals("[DONE]");
            return true;
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (JacksonException e) {
            return true; // Not ours to judge: forwarded as it came.
        }
        return switch (endpoint) {
            case CHAT_COMPLETIONS -> chatChunk(node);
            case RESPONSES -> responsesEvent(node);
            case MESSAGES -> anthropicEvent(node);
            case EMBEDDINGS, COUNT_TOKENS -> true;
        };
    }

    private boolean chatChunk(JsonNode chunk) {
        chunk.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asString("")));
        var usage = UsageReader.of(endpoint, chunk.path("usage"));
        if (usage.isEmpty()) {
            return true;
        }
        reported = usage.get();
        // The injected usage chunk has no choices, which clients that did not ask for it may choke on.
        return clientWantsUsage || !chunk.path("choices").isEmpty();
    }

    private boolean responsesEvent(JsonNode event) {
        String type = event.path("type").asString("");
        if (type.equals("response.output_text.delta")) {
            text.append(event.path("delta").asString(""));
        } else if (type.equals("response.completed") || type.equals("response.incomplete")
                || type.equals("response.failed")) {
            // An incomplete or failed response is billed for what it used, not zero.
            UsageReader.of(endpoint, event.path("response").path("usage")).ifPresent(usage -> reported = usage);
            finished = true;
        }
        return true;
    }

    private boolean anthropicEvent(JsonNode event) {
        switch (event.path("type").asString("")) {
            case "message_start" -> {
                UsageReader.of(endpoint, event.path("message").path("usage")).ifPresent(u -> {
                    anthropicInput = u;
                    anthropicOutput = u.outputTokens();
                });
            }
            case "content_block_delta" -> text.append(event.path("delta").path("text").asString(""));
            case "message_delta" -> {
                JsonNode usage = event.path("usage");
                anthropicOutput = usage.path("output_tokens").asLong(anthropicOutput);
                if (usage.has("input_tokens") && anthropicInput == null) {
                    anthropicInput = UsageReader.of(endpoint, usage).orElseThrow();
                }
                if (anthropicInput != null) {
                    reported = anthropicInput.withOutput(anthropicOutput, false);
                }
            }
            case "message_stop" -> finished = true;
            default -> { }
        }
        return true;
    }

    /** The provider's final usage, once it has arrived. */
    Optional<Usage> reported() {
        return Optional.ofNullable(reported);
    }

    /** The provider said the answer is complete. */
    boolean finished() {
        return finished;
    }

    /** What the stream produced so far, counted: the input the provider reported if any, else the estimate. */
    Usage estimate(long estimatedInputTokens, long streamedOutputTokens) {
        long output = Math.max(anthropicOutput, streamedOutputTokens);
        return anthropicInput != null ? anthropicInput.withOutput(output, true)
                : new Usage(estimatedInputTokens, output, 0, true);
    }

    String streamedText() {
        return text.toString();
    }
}
