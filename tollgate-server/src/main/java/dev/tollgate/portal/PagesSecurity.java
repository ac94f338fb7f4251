package dev.tollgate.portal;

import dev.tollgate.billing.Checkout;
import dev.tollgate.platform.security.StatelessChains;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

/**
 * The end-user pages' own filter chain, tried before the API's: nobody authenticates here with a key
 * (the billing page knows its visitor by the portal session cookie), every form carries a CSRF token
 * (a double-submit cookie, so no server session is needed), and a strict Content-Security-Policy
 * allows no inline script or style and nothing from another origin but the configured framing.
 */
@Configuration(proxyBeanMethods = false)
class PagesSecurity {

    static final String[] PATHS = {"/portal/**", "/billing", "/billing/**", "/pricing", "/widget.js", "/assets/**"};

    @Bean
    @Order(1)
    SecurityFilterChain pages(HttpSecurity http, PortalProperties properties, Checkout checkout) throws Exception {
        String policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; "
                + "form-action 'self' " + String.join(" ", checkout.formTargets()) + "; "
                + "frame-ancestors " + properties.frameAncestors();
        StatelessChains.withoutSessions(http).securityMatcher(PATHS)
                .csrf(csrf -> csrf.csrfTokenRepository(new CookieCsrfTokenRepository()))
                .headers(headers -> headers
                        .frameOptions(frame -> frame.disable())
                        .contentSecurityPolicy(csp -> csp.policyDirectives(policy)))
                .authorizeHttpRequests(rules -> rules.anyRequest().permitAll());
        return http.build();
    }
}
