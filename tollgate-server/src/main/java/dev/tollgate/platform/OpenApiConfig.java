package dev.tollgate.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
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

    /**
     * Every operation that takes a body documents the 400 problems its body can earn, {@code unknown_field}
     * among them, with the shared Problem schema.
     */
    @Bean
    OpenApiCustomizer badRequestProblems() {
        return openApi -> {
            openApi.getComponents().addSchemas("Problem", problemSchema());
            var problem = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            var badRequest = new ApiResponse().content(problem).description("""
                    The body was refused and nothing changed: `malformed_json` (not JSON), `validation_failed` \
                    (a value out of its rules; `field` names it), or `unknown_field` (a field Tollgate does not \
                    know, such as `pln`: `field` names it and `suggestion` the field it probably meant, \
                    "Unknown field 'pln'. Did you mean 'plan'?"). `metadata` objects are free-form.""");
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().values().forEach(path -> path.readOperations().stream()
                    .filter(operation -> operation.getRequestBody() != null)
                    .map(Operation::getResponses)
                    .forEach(responses -> responses.putIfAbsent("400", badRequest)));
        };
    }

    /**
     * Every operation may answer 503 {@code database_unavailable} while PostgreSQL is down or failing over;
     * clients retry it with the same Idempotency-Key after Retry-After.
     */
    @Bean
    OpenApiCustomizer databaseUnavailableProblems() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            var problem = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            var unavailable = new ApiResponse().content(problem)
                    .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                            .schema(new IntegerSchema()))
                    .description("""
                            `database_unavailable` (retryable): the database is down, restarting or failing over.                             Retry after `Retry-After` seconds with the same Idempotency-Key: a call that took                             effect is replayed, not repeated.""");
            openApi.getPaths().values().forEach(path -> path.readOperations()
                    .forEach(operation -> operation.getResponses().putIfAbsent("503", unavailable)));
        };
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An RFC 9457 problem; `code` is stable and what clients should branch on.")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema().example("unknown_field"))
                .addProperty("retryable", new BooleanSchema())
                .addProperty("field", new StringSchema().description("The field the problem is about"))
                .addProperty("suggestion", new StringSchema()
                        .description("With unknown_field: the known field probably meant"))
                .addProperty("errors", new ArraySchema().items(new ObjectSchema()
                        .addProperty("field", new StringSchema())
                        .addProperty("message", new StringSchema())));
    }
}
