package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import java.util.Arrays;
import java.util.Optional;

/** The provider endpoints the gateway meters, with their path below the upstream's base URL. */
enum Endpoint {
    CHAT_COMPLETIONS("chat/completions", Kind.OPENAI),
    RESPONSES("responses", Kind.OPENAI),
    EMBEDDINGS("embeddings", Kind.OPENAI),
    MESSAGES("messages", Kind.ANTHROPIC),
    /** Free at Anthropic, so forwarded without a reservation. */
    COUNT_TOKENS("messages/count_tokens", Kind.ANTHROPIC);

    private final String path;
    private final Kind kind;

    Endpoint(String path, Kind kind) {
        this.path = path;
        this.kind = kind;
    }

    String path() {
        return path;
    }

    Kind kind() {
        return kind;
    }

    /** The endpoint at {@code path} below {@code /<provider>/v1/}, if the gateway serves it. */
    static Optional<Endpoint> ofPath(String path) {
        return Arrays.stream(values()).filter(endpoint -> endpoint.path.equals(path)).findFirst();
    }

    boolean metered() {
        return this != COUNT_TOKENS;
    }
}
