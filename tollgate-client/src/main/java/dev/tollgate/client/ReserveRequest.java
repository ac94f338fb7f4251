package dev.tollgate.client;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pre-flight question "may this account spend about this much on this model?". The input is one of
 * {@code inputTokens}, {@code prompt} or OpenAI-style {@code messages} (Tollgate counts the last two);
 * without {@code maxOutputTokens} Tollgate reserves its configured default for the output.
 */
public record ReserveRequest(String accountId, String provider, String model, Long inputTokens, String prompt,
        List<Map<String, Object>> messages, Long maxOutputTokens, Boolean byok, String jobType, String jobId,
        String conversationId, Map<String, Object> metadata) {

    /** What Tollgate reserves for output when the request names no maximum (seed 002's default). */
    static final long DEFAULT_OUTPUT_TOKENS = 2_000;

    public ReserveRequest {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        messages = messages == null ? null : List.copyOf(messages);
        metadata = metadata == null ? null : Copies.map(metadata);
    }

    public static Builder builder(String accountId, String provider, String model) {
        return new Builder(accountId, provider, model);
    }

    /** The tokens this request may spend, estimated locally as Tollgate would without a tokenizer. */
    long estimatedTokens() {
        long input;
        if (inputTokens != null) {
            input = inputTokens;
        } else if (prompt != null) {
            input = prompt.length() / 4 + 1;
        } else if (messages != null) {
            input = Json.write(messages).length / 4 + 1;
        } else {
            input = 0;
        }
        return input + (maxOutputTokens != null ? maxOutputTokens : DEFAULT_OUTPUT_TOKENS);
    }

    /** Builds a {@link ReserveRequest}. */
    public static final class Builder {
        private final String accountId;
        private final String provider;
        private final String model;
        private Long inputTokens;
        private String prompt;
        private List<Map<String, Object>> messages;
        private Long maxOutputTokens;
        private Boolean byok;
        private String jobType;
        private String jobId;
        private String conversationId;
        private Map<String, Object> metadata;

        private Builder(String accountId, String provider, String model) {
            this.accountId = accountId;
            this.provider = provider;
            this.model = model;
        }

        public Builder inputTokens(long tokens) {
            this.inputTokens = tokens;
            return this;
        }

        public Builder prompt(String text) {
            this.prompt = text;
            return this;
        }

        public Builder messages(List<Map<String, Object>> openAiMessages) {
            this.messages = openAiMessages;
            return this;
        }

        public Builder maxOutputTokens(long tokens) {
            this.maxOutputTokens = tokens;
            return this;
        }

        /** The user's own provider key pays: recorded and priced, never charged to platform meters. */
        public Builder byok(boolean ownKey) {
            this.byok = ownKey;
            return this;
        }

        public Builder job(String type, String id) {
            this.jobType = type;
            this.jobId = id;
            return this;
        }

        public Builder conversationId(String id) {
            this.conversationId = id;
            return this;
        }

        public Builder metadata(Map<String, Object> values) {
            this.metadata = values;
            return this;
        }

        public ReserveRequest build() {
            return new ReserveRequest(accountId, provider, model, inputTokens, prompt, messages, maxOutputTokens,
                    byok, jobType, jobId, conversationId, metadata);
        }
    }
}
