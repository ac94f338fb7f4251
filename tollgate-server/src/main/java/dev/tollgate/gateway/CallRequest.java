package dev.tollgate.gateway;

import dev.tollgate.platform.Validation;
import dev.tollgate.pricing.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A proxied request as the gateway sizes it: the model, whether it streams, the estimated input (the
 * tokenizer for OpenAI models, characters / 4 otherwise), the most output it may produce, and the body to
 * send upstream. The body is the client's own bytes, except that an OpenAI chat stream gets
 * {@code stream_options.include_usage} (without it OpenAI reports no usage for a stream).
 */
record CallRequest(Endpoint endpoint, String model, boolean stream, long inputTokens, long maxOutputTokens,
        byte[] upstreamBody, boolean clientWantsUsage) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._:/@+-]{0,127}");

    static CallRequest parse(Endpoint endpoint, String provider, byte[] body, TokenEstimator tokens,
            long defaultOutputTokens) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new GatewayException(GatewayError.of(GatewayProblem.INVALID_REQUEST,
                    "The request body is not valid JSON."));
        }
        if (!(root instanceof ObjectNode request)) {
            throw new GatewayException(GatewayError.of(GatewayProblem.INVALID_REQUEST,
                    "The request body must be a JSON object."));
        }
        String model = request.path("model").asString("").toLowerCase(Locale.ROOT);
        if (!MODEL.matcher(model).matches()) {
            throw new GatewayException(GatewayError.of(GatewayProblem.INVALID_REQUEST,
                    "'model' is required: letters, digits and . _ : / @ + - only, at most 128 characters."));
        }
        boolean stream = request.path("stream").asBoolean(false);
        long input = switch (endpoint) {
            case CHAT_COMPLETIONS -> tokens.countMessages(provider, model, messages(request.path("messages")));
            case RESPONSES -> countText(tokens, provider, model, request.path("instructions"))
                    + countInput(tokens, provider, model, request.path("input"));
            case EMBEDDINGS -> countInput(tokens, provider, model, request.path("input"));
            case MESSAGES, COUNT_TOKENS -> countSystem(tokens, provider, model, request.path("system"))
                    + tokens.countMessages(provider, model, messages(request.path("messages")));
        };
        long output = switch (endpoint) {
            case CHAT_COMPLETIONS -> tokensField(request, "max_completion_tokens",
                    tokensField(request, "max_tokens", defaultOutputTokens));
            case RESPONSES -> tokensField(request, "max_output_tokens", defaultOutputTokens);
            case MESSAGES -> tokensField(request, "max_tokens", defaultOutputTokens);
            case EMBEDDINGS, COUNT_TOKENS -> 0;
        };
        boolean clientWantsUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        byte[] upstreamBody = body;
        if (stream && endpoint == Endpoint.CHAT_COMPLETIONS && !clientWantsUsage) {
            var options = request.path("stream_options") instanceof ObjectNode existing ? existing
                    : request.putObject("stream_options");
            options.put("include_usage", true);
            upstreamBody = JSON.writeValueAsBytes(request);
        }
        return new CallRequest(endpoint, model, stream, input, output, upstreamBody, clientWantsUsage);
    }

    private static long tokensField(JsonNode request, String field, long fallback) {
        JsonNode value = request.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || value.asLong() < 0 || value.asLong() > Validation.TOKENS_MAX) {
            throw new GatewayException(GatewayError.of(GatewayProblem.INVALID_REQUEST,
                    "'" + field + "' must be a whole number from 0 to " + Validation.TOKENS_MAX + "."));
        }
        return value.asLong();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(JsonNode messages) {
        var list = new ArrayList<Map<String, Object>>();
        messages.forEach(message -> {
            if (message.isObject()) {
                list.add(JSON.convertValue(message, Map.class));
            }
        });
        return list;
    }

    /** Responses and Embeddings take a string, a list of strings, or (Responses) a list of messages. */
    private static long countInput(TokenEstimator tokens, String provider, String model, JsonNode input) {
        if (input.isString()) {
            return tokens.countText(provider, model, input.asString());
        }
        long total = 0;
        for (JsonNode item : input) {
            if (item.isString()) {
                total += tokens.countText(provider, model, item.asString());
            } else if (item.isArray()) {
                total += item.size(); // Embeddings input given as token ids.
            } else if (item.isObject()) {
                total += tokens.countMessages(provider, model, messages(JSON.createArrayNode().add(item)));
            }
        }
        return total;
    }

    private static long countSystem(TokenEstimator tokens, String provider, String model, JsonNode system) {
        if (system.isArray()) {
            long total = 0;
            for (JsonNode block : system) {
                total += countText(tokens, provider, model, block.path("text"));
            }
            return total;
        }
        return countText(tokens, provider, model, system);
    }

    private static long countText(TokenEstimator tokens, String provider, String model, JsonNode text) {
        return text.isString() ? tokens.countText(provider, model, text.asString()) : 0;
    }
}
