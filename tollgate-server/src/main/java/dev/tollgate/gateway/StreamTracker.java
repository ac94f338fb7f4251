package dev.tollgate.gateway;

import java.nio.charset.StandardCharsets;
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

    /** {@code "usage":null} as a chunk's last member (where OpenAI writes it), or as a first or middle one. */
    private static final String[] NULL_USAGE = {",\"usage\":null", "\"usage\":null,"};

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

    /**
     * Takes in one event and answers what of it reaches the client: its bytes as they came, except what the
     * gateway's own {@code include_usage} added for a client that did not ask for it (empty: nothing at all).
     */
    Optional<byte[]> observe(SseEvent event) {
        String data = event.data();
        if (data.isEmpty() || data.equals("[DONE]")) {
            finished |= data.equals("[DONE]");
            return Optional.of(event.raw());
        }
        JsonNode node;
        try {
            node = JSON.readTree(data);
        } catch (JacksonException e) {
            return Optional.of(event.raw()); // Not ours to judge: forwarded as it came.
        }
        switch (endpoint) {
            case CHAT_COMPLETIONS -> {
                return chatChunk(node, event);
            }
            case RESPONSES -> responsesEvent(node);
            case MESSAGES -> anthropicEvent(node);
            case EMBEDDINGS, COUNT_TOKENS -> { }
        }
        return Optional.of(event.raw());
    }

    private Optional<byte[]> chatChunk(JsonNode chunk, SseEvent event) {
        chunk.path("choices").forEach(choice -> text.append(choice.path("delta").path("content").asString("")));
        var usage = UsageReader.of(endpoint, chunk.path("usage"));
        if (usage.isPresent()) {
            reported = usage.get();
            // The injected usage chunk has no choices, which clients that did not ask for it may choke on.
            return clientWantsUsage || !chunk.path("choices").isEmpty() ? Optional.of(event.raw()) : Optional.empty();
        }
        return Optional.of(clientWantsUsage || !chunk.path("usage").isNull() ? event.raw() : withoutNullUsage(event));
    }

    /**
     * With {@code include_usage} every chunk carries {@code "usage":null}, which a chunk streamed without it does
     * not: the member is cut from the bytes, the rest left as it came. A chunk written other than compactly is
     * forwarded whole, which every client reads alike.
     */
    private static byte[] withoutNullUsage(SseEvent event) {
        String raw = new String(event.raw(), StandardCharsets.UTF_8);
        for (String member : NULL_USAGE) {
            int at = raw.indexOf(member);
            if (at >= 0) {
                return (raw.substring(0, at) + raw.substring(at + member.length())).getBytes(StandardCharsets.UTF_8);
            }
        }
        return event.raw();
    }

    private void responsesEvent(JsonNode event) {
        String type = event.path("type").asString("");
        if (type.equals("response.output_text.delta")) {
            text.append(event.path("delta").asString(""));
        } else if (type.equals("response.completed") || type.equals("response.incomplete")
                || type.equals("response.failed")) {
            // An incomplete or failed response is billed for what it used, not zero.
            UsageReader.of(endpoint, event.path("response").path("usage")).ifPresent(usage -> reported = usage);
            finished = true;
        }
    }

    private void anthropicEvent(JsonNode event) {
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
