package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import dev.tollgate.pricing.PriceTable;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

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

    /** Every metered endpoint of every provider; the path below {@code /<provider>/v1/} names the endpoint. */
    @PostMapping("/{provider}/v1/**")
    void call(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String prefix = "/" + provider + "/v1/";
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Optional<Endpoint> endpoint = path.startsWith(prefix) ? Endpoint.ofPath(path.substring(prefix.length()))
                : Optional.empty();
        var found = providers.find(provider).filter(p -> endpoint.isPresent() && p.kind() == endpoint.get().kind());
        if (found.isEmpty()) {
            notFound(providers.find(provider).map(Provider::kind).orElse(Kind.OPENAI), response);
            return;
        }
        relay.relay(endpoint.get(), found.get(), caller(request), request, response);
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
        response.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(Map.of("object", "list", "data", models)));
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
