package dev.tollgate.platform;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes problems from servlet filters, where the MVC exception handling does not reach. */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, ProblemType type, String detail) throws IOException {
        write(response, type, detail, Map.of());
    }

    public void write(HttpServletResponse response, ProblemType type, String detail, Map<String, ?> properties)
            throws IOException {
        write(response, Problems.detail(type, detail, properties));
    }

    /** Writes a problem built elsewhere, with its status; headers already set on the response are kept. */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
