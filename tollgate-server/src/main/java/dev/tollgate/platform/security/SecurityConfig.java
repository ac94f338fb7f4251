package dev.tollgate.platform.security;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemWriter;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Who may call what: this table mirrors the roles column of README's API overview. End users (role USER) may only
 * read; whether they read their own account is decided by the endpoint, which answers 404 otherwise.
 * Service keys are checked by {@link ApiKeyAuthenticationFilter}; bearer values shaped like a JWT go on
 * to the OAuth2 resource server, which verifies them with {@link EndUserTokenDecoder}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final String ADMIN = Role.ADMIN.name();
    private static final String SERVICE = Role.SERVICE.name();
    private static final String READ = Role.READ.name();
    private static final String USER = Role.USER.name();

    @Bean
    JwtDecoder endUserTokenDecoder(EndUserTokenProperties properties, Clock clock) {
        return EndUserTokenDecoder.of(properties, clock);
    }

    /**
     * The firewall refuses URLs with encoded slashes, dots or semicolons, which could make a path
     * mean one thing to the authorization rules and another to the handler; the refusal is a problem too.
     */
    @Bean
    RequestRejectedHandler requestRejected(ProblemWriter problems) {
        return (request, response, e) -> problems.write(request, response, PlatformProblem.BAD_REQUEST,
                "The request URL contains characters that are not allowed (such as ';', '%2e' or '%2f').");
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiKeys keys, ProblemWriter problems, JwtDecoder endUserTokens,
            CorsSettings cors) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            if (e instanceof OAuth2AuthenticationException) {
                // The detail is fixed: the decoder's message may quote claims of the token.
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                problems.write(request, response, SecurityProblem.INVALID_TOKEN,
                        "The bearer token is malformed, unsigned, badly signed, expired or not meant for Tollgate.");
                return;
            }
            response.setHeader("WWW-Authenticate", "Bearer");
            problems.write(request, response, PlatformProblem.UNAUTHORIZED, "Missing or invalid credentials.");
        };
        StatelessChains.withoutSessions(http).csrf(csrf -> csrf.disable())
                .cors(config -> config.configurationSource(cors.source()))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, problems), BearerTokenAuthenticationFilter.class)
                .oauth2ResourceServer(resource -> resource
                        .bearerTokenResolver(new EndUserTokenResolver())
                        .authenticationEntryPoint(unauthorized)
                        .jwt(jwt -> jwt.decoder(endUserTokens).jwtAuthenticationConverter(EndUserTokenDecoder::toCaller)))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler((request, response, e) -> problems.write(request, response,
                                PlatformProblem.FORBIDDEN, "Your role may not do this.")))
                // Rules are tried in order. The hot path (reservations and usage) comes first, so that most
                // requests match their first rule; none of the rules after it matches these paths.
                .authorizeHttpRequests(rules -> rules
                        // Reservations and usage
                        .requestMatchers(POST, "/v1/reservations", "/v1/reservations/*/commit",
                                "/v1/reservations/*/release")
                        .hasAnyRole(ADMIN, SERVICE)
                        .requestMatchers(GET, "/v1/reservations/*").hasAnyRole(ADMIN, SERVICE, READ)
                        .requestMatchers(POST, "/v1/usage").hasAnyRole(ADMIN, SERVICE)
                        .requestMatchers(POST, "/v1/portal-sessions").hasAnyRole(ADMIN, SERVICE)
                        .requestMatchers("/error", "/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/v3/api-docs", "/v3/api-docs/**", "/docs", "/docs/**", "/swagger-ui/**",
                                "/swagger-ui.html", "/webjars/**", "/v1/webhooks/stripe")
                        .permitAll()
                        .requestMatchers("/v1/api-keys", "/v1/api-keys/**").hasRole(ADMIN)
                        .requestMatchers("/v1/admin/**", "/v1/webhook-endpoints", "/v1/webhook-endpoints/**")
                        .hasRole(ADMIN)
                        // Accounts
                        .requestMatchers(POST, "/v1/accounts").hasAnyRole(ADMIN, SERVICE)
                        .requestMatchers(POST, "/v1/accounts/batch").hasRole(ADMIN)
                        .requestMatchers(GET, "/v1/accounts").hasAnyRole(ADMIN, READ)
                        .requestMatchers(GET, "/v1/accounts/*").hasAnyRole(ADMIN, SERVICE, READ, USER)
                        .requestMatchers(PUT, "/v1/accounts/*/allowance").hasRole(ADMIN)
                        .requestMatchers(POST, "/v1/accounts/*/plan").hasRole(ADMIN)
                        .requestMatchers(POST, "/v1/accounts/*/credits").hasRole(ADMIN)
                        .requestMatchers(POST, "/v1/accounts/*/top-ups").hasAnyRole(ADMIN, SERVICE)
                        .requestMatchers(GET, "/v1/accounts/*/ledger", "/v1/accounts/*/usage", "/v1/accounts/*/events")
                        .hasAnyRole(ADMIN, READ, USER)
                        .requestMatchers(GET, "/v1/accounts/*/events/stream").hasAnyRole(ADMIN, USER)
                        // Plans and prices
                        .requestMatchers(GET, "/v1/plans", "/v1/plans/*").hasAnyRole(ADMIN, SERVICE, READ, USER)
                        .requestMatchers(PUT, "/v1/plans/*").hasRole(ADMIN)
                        .requestMatchers(GET, "/v1/prices", "/v1/prices/**").hasAnyRole(ADMIN, SERVICE, READ)
                        .requestMatchers(PUT, "/v1/prices/**").hasRole(ADMIN)
                        // Writes by end users are forbidden everywhere; other roles reach the handler,
                        // which answers 404 or 405 for paths and methods that do not exist.
                        .requestMatchers(POST, "/**").hasAnyRole(ADMIN, SERVICE, READ)
                        .requestMatchers(PUT, "/**").hasAnyRole(ADMIN, SERVICE, READ)
                        .requestMatchers(DELETE, "/**").hasAnyRole(ADMIN, SERVICE, READ)
                        .anyRequest().authenticated());
        return http.build();
    }
}
