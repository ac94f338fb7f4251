package dev.tollgate.gateway;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** Rejections of the gateway and of its key management. */
public enum GatewayProblem implements ProblemType {
    INVALID_API_KEY("invalid_api_key", "Invalid gateway key", HttpStatus.UNAUTHORIZED),
    MODEL_NOT_ALLOWED("model_not_allowed", "Model not allowed for this key", HttpStatus.FORBIDDEN),
    INVALID_REQUEST("invalid_request", "Invalid request", HttpStatus.BAD_REQUEST),
    GATEWAY_KEY_NOT_FOUND("gateway_key_not_found", "Gateway key not found", HttpStatus.NOT_FOUND),
    UPSTREAM_UNAVAILABLE("upstream_unavailable", "Upstream unavailable", HttpStatus.BAD_GATEWAY) {
        @Override
        public boolean retryable() {
            return true;
        }
    },
    UPSTREAM_TIMEOUT("upstream_timeout", "Upstream timed out", HttpStatus.GATEWAY_TIMEOUT) {
        @Override
        public boolean retryable() {
            return true;
        }
    };

    private final Definition definition;

    GatewayProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
