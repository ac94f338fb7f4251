package dev.tollgate.platform.security;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** Authentication problems more specific than {@code unauthorized}. */
enum SecurityProblem implements ProblemType {
    /** A bearer JWT that is malformed, unsigned, badly signed, expired or meant for another audience. */
    INVALID_TOKEN("invalid_token", "Invalid bearer token", HttpStatus.UNAUTHORIZED);

    private final String code;
    private final String title;
    private final HttpStatus status;

    SecurityProblem(String code, String title, HttpStatus status) {
        this.code = code;
        this.title = title;
        this.status = status;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public HttpStatus status() {
        return status;
    }
}
