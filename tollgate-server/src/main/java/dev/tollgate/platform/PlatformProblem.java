package dev.tollgate.platform;

import org.springframework.http.HttpStatus;

/** Problems that belong to no capability: transport, authentication, validation, idempotency. */
public enum PlatformProblem implements ProblemType {
    UNAUTHORIZED("unauthorized", "Authentication required", HttpStatus.UNAUTHORIZED),
    FORBIDDEN("forbidden", "Not allowed for this role", HttpStatus.FORBIDDEN),
    NOT_FOUND("not_found", "Not found", HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED("method_not_allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    NOT_ACCEPTABLE("not_acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
    PAYLOAD_TOO_LARGE("payload_too_large", "Request body too large", HttpStatus.CONTENT_TOO_LARGE),
    MALFORMED_JSON("malformed_json", "Malformed JSON", HttpStatus.BAD_REQUEST),
    VALIDATION_FAILED("validation_failed", "Invalid request", HttpStatus.BAD_REQUEST),
    UNKNOWN_FIELD("unknown_field", "Unknown field", HttpStatus.BAD_REQUEST),
    INVALID_PARAMETER("invalid_parameter", "Invalid parameter", HttpStatus.BAD_REQUEST),
    BAD_REQUEST("bad_request", "Bad request", HttpStatus.BAD_REQUEST),
    IDEMPOTENCY_KEY_REUSED(
            "idempotency_key_reused", "Idempotency key reused with a different request", HttpStatus.CONFLICT),
    INTERNAL_ERROR("internal_error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR) {
        @Override
        public boolean retryable() {
            return true;
        }
    },
    SERVICE_UNAVAILABLE("service_unavailable", "Service unavailable", HttpStatus.SERVICE_UNAVAILABLE) {
        @Override
        public boolean retryable() {
            return true;
        }
    },
    /** The database is down, restarting or failing over: nothing was changed, and a retry will succeed. */
    DATABASE_UNAVAILABLE("database_unavailable", "Database unavailable", HttpStatus.SERVICE_UNAVAILABLE) {
        @Override
        public boolean retryable() {
            return true;
        }
    };

    private final Definition definition;

    PlatformProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
