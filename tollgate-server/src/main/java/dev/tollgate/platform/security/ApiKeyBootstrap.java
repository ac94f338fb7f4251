package dev.tollgate.platform.security;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Makes sure an operator can call the admin API before the server accepts requests: the key from
 * TOLLGATE_ADMIN_KEY, or on the very first start a generated key, printed once to the console.
 */
@Component
class ApiKeyBootstrap implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyBootstrap.class);

    private final ApiKeys keys;
    private final @Nullable String configuredAdminKey;

    ApiKeyBootstrap(ApiKeys keys, @Value("${tollgate.admin-key:}") @Nullable String configuredAdminKey) {
        this.keys = keys;
        this.configuredAdminKey = configuredAdminKey;
    }

    @Override
    public void afterPropertiesSet() {
        if (configuredAdminKey != null && !configuredAdminKey.isBlank()) {
            if (ApiKeyAuthenticationFilter.looksLikeJwt(configuredAdminKey.trim())) {
                // Such a value would be taken for an end-user token and never reach the key table.
                throw new IllegalStateException(
                        "TOLLGATE_ADMIN_KEY must not be shaped like a JWT (two dots); start it with tg_");
            }
            keys.installConfiguredAdminKey(configuredAdminKey);
            log.info("Admin key from TOLLGATE_ADMIN_KEY installed");
            return;
        }
        keys.revokeConfiguredAdminKey();
        keys.generateFirstAdminKeyIfNone().ifPresent(secret -> {
            // Printed to the console, not the log: this is the only time the secret exists in clear.
            System.out.println();
            System.out.println("=".repeat(78));
            System.out.println(" Tollgate generated an admin API key. It is shown only this once:");
            System.out.println();
            System.out.println("   " + secret);
            System.out.println();
            System.out.println(" Store it now, or set TOLLGATE_ADMIN_KEY to choose your own.");
            System.out.println("=".repeat(78));
            System.out.println();
            log.info("Generated the first admin key (printed once to the console)");
        });
    }
}
