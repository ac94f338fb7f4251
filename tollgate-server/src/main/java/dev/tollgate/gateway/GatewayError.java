package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import dev.tollgate.platform.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * An error the gateway itself answers, written in the provider's own shape because the caller is that
 * provider's SDK: OpenAI {@code {"error": {"message", "type", "param", "code"}}}, Anthropic
 * {@code {"type": "error", "error": {"type", "message"}}}. {@code retry} becomes {@code x-should-retry},
 * which both SDKs obey before their status-code rules (a budget denial must not be retried).
 */
record GatewayError(int status, String code, String message, boolean retry) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static GatewayError of(ProblemType problem, String message) {
        return new GatewayError(problem.status().value(), problem.code(), message, problem.retryable());
    }

    void write(Kind kind, HttpServletResponse response) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (kind == Kind.ANTHROPIC) {
            body.put("type", "error");
            body.put("error", Map.of("type", code, "message", message));
        } else {
            var error = new LinkedHashMap<String, Object>();
            error.put("message", message);
            error.put("type", code);
            error.put("param", null);
            error.put("code", code);
            body.put("error", error);
        }
        response.setStatus(status);
        response.setHeader("x-should-retry", Boolean.toString(retry));
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
