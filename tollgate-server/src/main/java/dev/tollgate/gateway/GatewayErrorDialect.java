package dev.tollgate.gateway;

import dev.tollgate.platform.ErrorDialect;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/** Problems answered before the gateway's own code runs, on a provider's path, in that provider's error shape. */
@Component
class GatewayErrorDialect implements ErrorDialect {

    private final Providers providers;

    GatewayErrorDialect(Providers providers) {
        this.providers = providers;
    }

    @Override
    public boolean speaks(HttpServletRequest request) {
        return provider(request).isPresent();
    }

    @Override
    public void write(HttpServletRequest request, ProblemDetail problem, HttpServletResponse response)
            throws IOException {
        Map<String, Object> properties = problem.getProperties() == null ? Map.of() : problem.getProperties();
        String code = String.valueOf(properties.getOrDefault("code", "error"));
        String message = problem.getDetail() != null ? problem.getDetail() : String.valueOf(problem.getTitle());
        boolean retry = Boolean.TRUE.equals(properties.get("retryable"));
        var kind = provider(request).map(Provider::kind).orElse(GatewaySettings.Kind.OPENAI);
        new GatewayError(problem.getStatus(), code, message, retry).write(kind, response);
    }

    private Optional<Provider> provider(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        int slash = path.indexOf('/', 1);
        if (slash < 2 || !path.startsWith("/v1/", slash)) {
            return Optional.empty();
        }
        return providers.find(path.substring(1, slash));
    }
}
