package dev.tollgate.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;

/**
 * What every security chain of Tollgate shares: each request proves who it is on its own (an API key, a gateway
 * key, an end-user token, a signed console cookie), so there is no login form, no HTTP session and no saved
 * request to return to.
 */
public final class StatelessChains {

    private StatelessChains() {}

    public static HttpSecurity withoutSessions(HttpSecurity http) throws Exception {
        return http.httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }
}
