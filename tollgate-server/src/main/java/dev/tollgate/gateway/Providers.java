package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import dev.tollgate.gateway.GatewaySettings.Upstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The configured upstreams, each with one pooled HTTP client. The clients run on virtual threads, so a slow
 * provider ties up no platform thread. HTTP/2 is asked for on https (negotiated by ALPN, falling back to
 * HTTP/1.1); cleartext upstreams (vLLM, Ollama, test fakes) get HTTP/1.1, because an h2c upgrade is
 * rarely supported there and would only add a round of headers.
 */
@Component
class Providers implements DisposableBean {

    private final Map<String, Provider> byName = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    Providers(GatewaySettings settings) {
        add("openai", Kind.OPENAI, settings.openai(), settings);
        add("anthropic", Kind.ANTHROPIC, settings.anthropic(), settings);
        settings.providers().forEach((name, upstream) -> add(name, upstream.kind() == null ? Kind.OPENAI
                : upstream.kind(), upstream, settings));
    }

    private void add(String name, Kind kind, Upstream upstream, GatewaySettings settings) {
        URI base = URI.create(upstream.baseUrl());
        var http = HttpClient.newBuilder()
                .version("https".equals(base.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
        byName.put(name, new Provider(name, kind, base, upstream.apiKey(), http));
    }

    Optional<Provider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The path patterns the gateway serves, for its security chain. */
    String[] pathPatterns() {
        return byName.keySet().stream().map(name -> "/" + name + "/**").toArray(String[]::new);
    }

    @Override
    public void destroy() {
        // Open streams must not hold a shutdown: their reservations are settled or expire.
        byName.values().forEach(provider -> provider.http().shutdownNow());
        executor.shutdownNow();
    }
}
