package dev.tollgate.platform;

import java.util.Map;
import org.springframework.http.ProblemDetail;

/** Builds problem bodies so every problem carries the same members: type, title, status, detail, code. */
public final class Problems {

    private Problems() {}

    public static ProblemDetail detail(ProblemType type, String detail) {
        return detail(type, detail, Map.of());
    }

    public static ProblemDetail detail(ProblemType type, String detail, Map<String, ?> properties) {
        var problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.type());
        problem.setTitle(type.title());
        problem.setProperty("code", type.code());
        problem.setProperty("retryable", type.retryable());
        properties.forEach(problem::setProperty);
        return problem;
    }
}
