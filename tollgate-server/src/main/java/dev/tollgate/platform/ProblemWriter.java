package dev.tollgate.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problems from servlet filters, where the MVC exception handling does not reach: as problem+json, or in
 * the shape of the {@link ErrorDialect} that speaks for the request's path.
 */
@Component
public class ProblemWriter {

    private final JsonMapper json;
    private final List<ErrorDialect> dialects;

    ProblemWriter(JsonMapper json, List<ErrorDialect> dialects) {
        this.json = json;
        this.dialects = List.copyOf(dialects);
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        write(request, response, type, detail, Map.of());
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
            Map<String, ?> properties) throws IOException {
        write(request, response, Problems.detail(type, detail, properties));
    }

    /** Writes a problem built elsewhere, with its status; headers already set on the response are kept. */
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        for (ErrorDialect dialect : dialects) {
            if (dialect.speaks(request)) {
                dialect.write(request, problem, response);
                return;
            }
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
