package dev.tollgate.gateway;

import dev.tollgate.gateway.GatewaySettings.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One upstream as served: the name in the gateway's paths and in the price catalog, its wire format, its
 * base URL, the platform's key (absent: only BYOK calls work) and its own pooled HTTP client.
 */
record Provider(String name, Kind kind, URI baseUrl, @Nullable String apiKey, HttpClient http) {

    Provider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        String base = baseUrl.toString();
        baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
    }

    URI resolve(String endpointPath) {
        return baseUrl.resolve(endpointPath);
    }

    @Override
    public String toString() {
        return "Provider[name=" + name + ", kind=" + kind + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "unset" : "<redacted>") + "]";
    }
}
