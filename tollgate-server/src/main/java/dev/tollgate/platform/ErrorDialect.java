package dev.tollgate.platform;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.ProblemDetail;

/**
 * A part of the service whose callers read errors in another shape than problem+json: the gateway's callers are
 * the providers' SDKs, which read only their provider's error body. A problem a filter answers on such a path
 * (body too large, malformed JSON, database unavailable) is written in that shape, keeping its status, its
 * {@code code} and whether a retry can succeed.
 */
public interface ErrorDialect {

    boolean speaks(HttpServletRequest request);

    /** Writes {@code problem} with its status; headers already set on the response are kept. */
    void write(HttpServletRequest request, ProblemDetail problem, HttpServletResponse response) throws IOException;
}
