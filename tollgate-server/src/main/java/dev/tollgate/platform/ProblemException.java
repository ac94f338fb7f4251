package dev.tollgate.platform;

import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An expected rejection, rendered once as an RFC 9457 problem by the MVC error handling. */
public class ProblemException extends ErrorResponseException {

    private final ProblemType problemType;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, ?> properties) {
        super(type.status(), Problems.detail(type, detail, properties), null);
        this.problemType = type;
    }

    public ProblemType problemType() {
        return problemType;
    }

    public ProblemDetail problem() {
        return getBody();
    }
}
