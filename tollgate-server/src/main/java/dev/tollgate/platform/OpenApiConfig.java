package dev.tollgate.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The served OpenAPI document: what Tollgate is and how callers authenticate. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    @Bean
    OpenAPI tollgateOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Tollgate API")
                        .version("v1")
                        .description("Meters LLM usage and enforces per-user budgets: accounts, plans, prices, "
                                + "reservations (the pre-flight check), usage, the ledger and events. Errors are "
                                + "RFC 9457 problems with a stable `code`. Send `Idempotency-Key` on every POST "
                                + "that creates or moves value.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("A service key (tg_...) or an end user's JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
