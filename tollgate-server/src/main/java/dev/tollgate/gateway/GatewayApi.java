package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceTable;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
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

    /**
     * The model list, in the provider's shape, made of the models the catalog prices for this provider (and the
     * key allows): what a caller can be metered for.
     */
    @GetMapping("/{provider}/v1/models")
    void models(@PathVariable String provider, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        var found = providers.find(provider);
        if (found.isEmpty()) {
            notFound(Kind.OPENAI, response);
            return;
        }
        Kind kind = found.get().kind();
        var models = listed(provider, caller(request)).stream().map(price -> model(kind, price)).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        if (kind == Kind.ANTHROPIC) {
            page.put("data", models);
            page.put("has_more", false);
            page.put("first_id", models.isEmpty() ? null : models.getFirst().get("id"));
            page.put("last_id", models.isEmpty() ? null : models.getLast().get("id"));
        } else {
            page.put("object", "list");
            page.put("data", models);
        }
        write(page, response);
    }

    /** One model of the list ({@code models.retrieve} in both SDKs); a model the list leaves out is not found. */
    @GetMapping("/{provider}/v1/models/{model}")
    void model(@PathVariable String provider, @PathVariable String model, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        var found = providers.find(provider);
        Kind kind = found.map(Provider::kind).orElse(Kind.OPENAI);
        var listed = found.isEmpty() ? Optional.<ModelPrice>empty()
                : listed(provider, caller(request)).stream().filter(price -> price.model().equals(model)).findFirst();
        if (listed.isEmpty()) {
            new GatewayError(HttpStatus.NOT_FOUND.value(), kind == Kind.ANTHROPIC ? "not_found_error" : "model_not_found",
                    "The model '" + model + "' does not exist or has no price in Tollgate's catalog.", false)
                    .write(kind, response);
            return;
        }
        write(model(kind, listed.get()), response);
    }

    /**
     * Every other method and path under a provider: not served. Stored objects (responses, files, batches) are
     * not passed through, because the platform's provider key would read every account's.
     */
    @RequestMapping("/{provider}/v1/**")
    void unserved(@PathVariable String provider, HttpServletResponse response) throws IOException {
        notFound(providers.find(provider).map(Provider::kind).orElse(Kind.OPENAI), response);
    }

    private List<ModelPrice> listed(String provider, GatewayCaller caller) {
        return prices.currentPrices().stream()
                .filter(price -> price.provider().equals(provider) && caller.allows(price.model()))
                .toList();
    }

    private static Map<String, Object> model(Kind kind, ModelPrice price) {
        if (kind == Kind.ANTHROPIC) {
            return Map.of("type", "model", "id", price.model(), "display_name", price.model(), "created_at",
                    price.effectiveFrom().toString());
        }
        return Map.of("id", price.model(), "object", "model", "created", price.effectiveFrom().getEpochSecond(),
                "owned_by", price.provider());
    }

    private static void write(Object body, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.getOutputStream().write(JsonMapper.shared().writeValueAsBytes(body));
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
