package dev.tollgate.platform.security;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** Authentication problems more specific than {@code unauthorized}. */
enum SecurityProblem implements ProblemType {
    /** A bearer JWT that is malformed, unsigned, badly signed, expired or meant for another audience. */
    INVALID_TOKEN("invalid_token", "Invalid bearer token", HttpStatus.UNAUTHORIZED);

    private final Definition definition;

    SecurityProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
