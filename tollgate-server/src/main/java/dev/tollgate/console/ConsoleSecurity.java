package dev.tollgate.console;

import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import dev.tollgate.platform.security.Role;
import dev.tollgate.platform.security.StatelessChains;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseCookie;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.util.HtmlUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The console's own filter chain, tried after the end-user pages' and before the API's. The operator is
 * known by the console session cookie ({@link ConsoleSessionFilter}), never by a bearer key; every form
 * carries a CSRF token (a double-submit cookie of its own, scoped to /console); reads need an admin or
 * read session, and every other request an admin one, so a read key's forged POST is refused with 403.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String SESSION_COOKIE = "tollgate_console";
    static final String CSRF_COOKIE = "tollgate_console_csrf";
    static final String PATH = "/console";

    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(2)
    SecurityFilterChain console(HttpSecurity http, ConsoleSessions sessions) throws Exception {
        var csrfTokens = new CookieCsrfTokenRepository();
        csrfTokens.setCookieName(CSRF_COOKIE);
        csrfTokens.setCookiePath(PATH);
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        StatelessChains.withoutSessions(http).securityMatcher(PATH, PATH + "/**")
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .anonymous(anonymous -> anonymous.disable())
                .headers(headers -> headers
                        .frameOptions(frame -> frame.deny())
                        .contentSecurityPolicy(csp -> csp.policyDirectives(POLICY)))
                .addFilterBefore(new ConsoleSessionFilter(sessions), AuthorizationFilter.class)
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> {
                            if (GET.matches(request.getMethod())) {
                                response.sendRedirect(request.getContextPath() + PATH + "/login");
                            } else {
                                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                            }
                        })
                        .accessDeniedHandler((request, response, e) -> refuse(response, e instanceof CsrfException
                                ? "This form was stale or did not come from the console. Reload the page and try again."
                                : "Your key may read the console but not change anything.")))
                .authorizeHttpRequests(rules -> rules
                        .requestMatchers(PATH + "/login", PATH + "/logout").permitAll()
                        .requestMatchers(GET, PATH, PATH + "/**").hasAnyRole(Role.ADMIN.name(), Role.READ.name())
                        .requestMatchers(POST, PATH + "/**").hasRole(Role.ADMIN.name())
                        .anyRequest().denyAll());
        return http.build();
    }

    /** A refusal as a page: the operator reads why, and finds the way back. */
    private static void refuse(HttpServletResponse response, String why) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/html;charset=UTF-8");
        response.getOutputStream().write(("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Refused · Tollgate console</title><link rel=\"stylesheet\" href=\"/assets/tollgate.css\">"
                + "</head><body><main class=\"narrow\"><h1>Refused</h1><p id=\"refused\" class=\"alert danger\">"
                + HtmlUtils.htmlEscape(why) + "</p><p><a href=\"" + PATH + "\">Back to the console</a></p></main>"
                + "</body></html>").getBytes(StandardCharsets.UTF_8));
    }

    static ResponseCookie sessionCookie(String value, boolean secure, Duration maxAge) {
        return ResponseCookie.from(SESSION_COOKIE, value)
                .httpOnly(true)
                .secure(secure)
                .sameSite("Strict")
                .path(PATH)
                .maxAge(maxAge)
                .build();
    }
}
