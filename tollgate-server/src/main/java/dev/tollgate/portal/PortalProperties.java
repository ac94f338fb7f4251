package dev.tollgate.portal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The end-user pages ({@code tollgate.portal.*}): how long a portal link may wait to be opened, how
 * long a billing-page session lasts idle and at most, who may frame the pages, and the brand.
 */
@ConfigurationProperties("tollgate.portal")
record PortalProperties(
        @DefaultValue("15m") Duration linkTtl,
        @DefaultValue("30m") Duration sessionIdle,
        @DefaultValue("12h") Duration sessionMax,
        @Nullable String baseUrl,
        @DefaultValue("'none'") String frameAncestors,
        @DefaultValue("Tollgate") String appName,
        @Nullable String logoUrl,
        @DefaultValue("#4f46e5") String accentColor) {

    PortalProperties {
        baseUrl = blankToNull(baseUrl);
        logoUrl = blankToNull(logoUrl);
        requirePositive(linkTtl, "link-ttl");
        requirePositive(sessionIdle, "session-idle");
        requirePositive(sessionMax, "session-max");
        if (!accentColor.matches("#[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException("tollgate.portal.accent-color must look like #4f46e5");
        }
        if (frameAncestors.contains(";") || frameAncestors.contains(",")) {
            throw new IllegalArgumentException("tollgate.portal.frame-ancestors is one CSP source list");
        }
    }

    /** The pages' origin as browsers reach it: the configured base URL, else the current request's. */
    String publicBase() {
        return baseUrl != null ? baseUrl.replaceAll("/+$", "")
                : ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tollgate.portal." + name + " must be positive");
        }
    }
}
