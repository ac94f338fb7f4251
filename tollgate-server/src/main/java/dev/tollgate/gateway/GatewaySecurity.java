package dev.tollgate.gateway;

import dev.tollgate.platform.security.ApiKeys;
import dev.tollgate.platform.security.StatelessChains;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The gateway's own filter chain, tried before the API's: its callers are provider SDKs, which send their
 * key where the provider expects it and understand only the provider's error shape, so the API chain's
 * key filter and problem+json answers do not fit. {@link GatewayAuthentication} admits or refuses every
 * request; nothing else here needs a role.
 */
@Configuration(proxyBeanMethods = false)
class GatewaySecurity {

    @Bean
    @Order(2)
    SecurityFilterChain gateway(HttpSecurity http, GatewayKeys gatewayKeys, ApiKeys apiKeys, Providers providers)
            throws Exception {
        StatelessChains.withoutSessions(http).securityMatcher(providers.pathPatterns())
                .csrf(csrf -> csrf.disable())
                .anonymous(anonymous -> anonymous.disable())
                .addFilterAfter(new GatewayAuthentication(gatewayKeys, apiKeys, providers),
                        SecurityContextHolderFilter.class)
                .authorizeHttpRequests(rules -> rules.anyRequest().permitAll());
        return http.build();
    }
}
