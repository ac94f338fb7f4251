package dev.tollgate.pricing;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Estimates the input tokens of a request before it is sent, to size a reservation. OpenAI models are
 * counted with their own tokenizer (o200k_base for gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and the o-series,
 * cl100k_base for gpt-4 and gpt-3.5); other models are estimated as one token per four characters.
 * The upstream's reported usage, not this estimate, is what gets charged.
 */
@Service
public class TokenEstimator {

    /** Providers whose models use OpenAI's tokenizers whatever the deployment is called. */
    private static final Set<String> OPENAI_PROVIDERS = Set.of("openai", "azure", "azure-openai", "azure_openai");

    private static final Pattern OPENAI_MODEL = Pattern.compile("(gpt-|chatgpt-|text-embedding-|o[1-9](-|$)).*");
    private static final Pattern CL100K_MODEL = Pattern.compile("(gpt-4(-.*)?|gpt-3\\.5.*|gpt-35.*|text-embedding-.*)");

    /**
     * OpenAI's chat format: each message is wrapped as {@code <|start|>{role}<|message|>{content}<|end|>},
     * a name costs one token more, and every reply is primed with {@code <|start|>assistant<|message|>}.
     * With these the count matches what the API reports (OpenAI cookbook, "How to count tokens").
     */
    private static final int TOKENS_PER_MESSAGE = 3;

    private static final int TOKENS_PER_NAME = 1;
    private static final int TOKENS_PER_REPLY = 3;
    private static final int CHARACTERS_PER_TOKEN = 4;

    /** Loads each tokenizer's vocabulary (megabytes) on first use, not while the context starts. */
    private final EncodingRegistry encodings = Encodings.newLazyEncodingRegistry();

    /**
     * Loading a vocabulary takes seconds; doing it in the background once the application is up keeps
     * that out of the first reservation. A request arriving meanwhile waits for the same load. It runs on
     * a platform thread: reading the vocabulary out of the nested jar holds the jar's monitor, and on a
     * virtual thread that pins a carrier, so request threads blocked on the same monitor (class loading)
     * could leave it no carrier to finish on; the bench caught a 2-core node wedged that way.
     */
    @EventListener(ApplicationReadyEvent.class)
    void loadVocabularies() {
        Thread.ofPlatform().daemon().name("tokenizer-vocabularies").start(() -> {
            encodings.getEncoding(EncodingType.O200K_BASE);
            encodings.getEncoding(EncodingType.CL100K_BASE);
        });
    }

    /** Tokens in {@code text} for this model. Special-token markers in the text count as plain text. */
    public long countText(String provider, String model, String text) {
        return count(openAiEncoding(provider, model), text);
    }

    /**
     * Tokens in OpenAI-style chat messages: {@code [{"role": ..., "content": "text" | [{"type": "text",
     * "text": ...}, ...], "name"?: ..., "tool_calls"?: [{"function": {"name", "arguments"}}]}]}. Role, name,
     * text parts and tool-call names and arguments count as text; other parts (images, audio) are not
     * estimated. OpenAI models add the chat format's per-message overhead.
     */
    public long countMessages(String provider, String model, List<Map<String, Object>> messages) {
        @Nullable Encoding encoding = openAiEncoding(provider, model);
        long total = 0;
        for (Map<String, Object> message : messages) {
            total += countIfText(encoding, message.get("role"));
            total += countContent(encoding, message.get("content"));
            total += countToolCalls(encoding, message.get("tool_calls"));
            if (message.get("name") instanceof String name) {
                total += count(encoding, name);
                total += encoding != null ? TOKENS_PER_NAME : 0;
            }
            total += encoding != null ? TOKENS_PER_MESSAGE : 0;
        }
        if (encoding != null && !messages.isEmpty()) {
            total += TOKENS_PER_REPLY;
        }
        return total;
    }

    private long countContent(@Nullable Encoding encoding, @Nullable Object content) {
        if (content instanceof List<?> parts) {
            long total = 0;
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map) {
                    total += countIfText(encoding, map.get("text"));
                }
            }
            return total;
        }
        return countIfText(encoding, content);
    }

    private long countToolCalls(@Nullable Encoding encoding, @Nullable Object toolCalls) {
        long total = 0;
        if (toolCalls instanceof List<?> calls) {
            for (Object call : calls) {
                if (call instanceof Map<?, ?> map && map.get("function") instanceof Map<?, ?> function) {
                    total += countIfText(encoding, function.get("name"));
                    total += countIfText(encoding, function.get("arguments"));
                }
            }
        }
        return total;
    }

    private long countIfText(@Nullable Encoding encoding, @Nullable Object text) {
        return text instanceof String string ? count(encoding, string) : 0;
    }

    private static long count(@Nullable Encoding encoding, String text) {
        if (encoding != null) {
            return encoding.countTokensOrdinary(text);
        }
        long characters = text.codePointCount(0, text.length());
        return Math.ceilDiv(characters, CHARACTERS_PER_TOKEN);
    }

    /** The tokenizer of an OpenAI model, or null for models that are estimated by characters. */
    private @Nullable Encoding openAiEncoding(String provider, String model) {
        String normalizedModel = ModelNames.normalize(model);
        if (!OPENAI_PROVIDERS.contains(ModelNames.normalize(provider)) && !OPENAI_MODEL.matcher(normalizedModel).matches()) {
            return null;
        }
        boolean older = CL100K_MODEL.matcher(normalizedModel).matches();
        return encodings.getEncoding(older ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
    }
}
