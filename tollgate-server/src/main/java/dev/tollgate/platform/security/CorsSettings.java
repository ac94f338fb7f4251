package dev.tollgate.platform.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Origins whose pages may call the API from the browser with an end user's JWT
 * ({@code tollgate.cors.origins}, {@code TOLLGATE_CORS_ORIGINS}, comma-separated; none by default).
 * No credentials (cookies) are allowed: the JWT travels in the Authorization header.
 */
@ConfigurationProperties("tollgate.cors")
record CorsSettings(@DefaultValue({}) List<String> origins) {

    CorsSettings {
        origins = origins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
        for (String origin : origins) {
            if (!origin.matches("https?://[^/\\s]+") ) {
                throw new IllegalArgumentException("tollgate.cors.origins: '" + origin
                        + "' is not an origin like https://app.example.com");
            }
        }
    }

    CorsConfigurationSource source() {
        if (origins.isEmpty()) {
            return request -> null;
        }
        var configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(origins);
        configuration.setAllowedMethods(List.of("GET", "HEAD"));
        configuration.setAllowedHeaders(List.of("Authorization", "Content-Type", "Last-Event-ID"));
        configuration.setAllowCredentials(false);
        configuration.setMaxAge(Duration.ofHours(1));
        var source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", configuration);
        return source;
    }
}
