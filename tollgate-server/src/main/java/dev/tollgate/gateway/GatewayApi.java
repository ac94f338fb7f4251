package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import dev.tollgate.pricing.PriceTable;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The provider-compatible endpoints, at {@code /<provider>/v1/...} for OpenAI, Anthropic and every
 * configured provider. Hidden from the OpenAPI document: their contract is the provider's own API.
 */
@Hidden
@RestController
class GatewayApi {

    private final Providers providers;
    private final Relay relay;
    private final PriceTable prices;

    GatewayApi(Providers providers, Relay relay, PriceTable prices) {
        this.providers = providers;
        this.relay = relay;
        this.prices = prices;
    }

    @PostMapping("/{provider}/v1/chat/completions")
    void chatCompletions(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        relay(Endpoint.CHAT_COMPLETIONS, provider, request, response);
    }

    @PostMapping("/{provider}/v1/responses")
    void responses(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        relay(Endpoint.RESPONSES, provider, request, response);
    }

    @PostMapping("/{provider}/v1/embeddings")
    void embeddings(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        relay(Endpoint.EMBEDDINGS, provider, request, response);
    }

    @PostMapping("/{provider}/v1/messages")
    void messages(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        relay(Endpoint.MESSAGES, provider, request, response);
    }

    @PostMapping("/{provider}/v1/messages/count_tokens")
    void countTokens(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        relay(Endpoint.COUNT_TOKENS, provider, request, response);
    }

    /** OpenAI's model list, made of the models the catalog prices for this provider (and the key allows). */
    @GetMapping("/{provider}/v1/models")
    void models(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        var found = providers.find(provider).filter(p -> p.kind() == Kind.OPENAI);
        if (found.isEmpty()) {
            notFound(Kind.OPENAI, response);
            return;
        }
        var caller = caller(request);
        var models = prices.currentPrices().stream()
                .filter(price -> price.provider().equals(provider) && caller.allows(price.model()))
                .map(price -> Map.of("id", price.model(), "object", "model", "created",
                        price.effectiveFrom().getEpochSecond(), "owned_by", provider))
                .toList();
        response.setContentType("application/json");
        response.getOutputStream().write(tools.jackson.databind.json.JsonMapper.shared()
                .writeValueAsBytes(Map.of("object", "list", "data", models)));
    }

    private void relay(Endpoint endpoint, String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        var provider = providers.find(name).filter(p -> p.kind() == endpoint.kind());
        if (provider.isEmpty()) {
            notFound(endpoint.kind(), response);
            return;
        }
        relay.relay(endpoint, provider.get(), caller(request), request, response);
    }

    private static GatewayCaller caller(HttpServletRequest request) {
        if (request.getAttribute(GatewayCaller.ATTRIBUTE) instanceof GatewayCaller caller) {
            return caller;
        }
        throw new IllegalStateException("the gateway's security chain authenticates every gateway path");
    }

    private static void notFound(Kind kind, HttpServletResponse response) throws IOException {
        new GatewayError(HttpStatus.NOT_FOUND.value(), kind == Kind.ANTHROPIC ? "not_found_error" : "not_found",
                "This provider does not serve this endpoint.", false).write(kind, response);
    }
}
