package dev.tollgate.platform;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * A kind of problem a client can be told about. Each capability has one enum implementing this; its
 * {@link #code()} is the stable slug clients switch on and must never be reused for another meaning.
 */
public interface ProblemType {

    String PROBLEM_BASE_URI = "https://tollgate.dev/problems/";

    /** The problem's stable slug, fixed title and HTTP status. */
    Definition definition();

    default String code() {
        return definition().code();
    }

    default String title() {
        return definition().title();
    }

    default HttpStatus status() {
        return definition().status();
    }

    default boolean retryable() {
        return false;
    }

    default URI type() {
        return URI.create(PROBLEM_BASE_URI + code());
    }

    record Definition(String code, String title, HttpStatus status) {}
}
