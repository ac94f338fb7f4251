package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import org.junit.jupiter.api.Test;

class OperationsTests extends IntegrationTest {

    @Test
    void health_is_up_with_the_database_and_needs_no_key() {
        var health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheus_metrics_are_served() {
        var metrics = http.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes").contains("hikaricp_connections")
                .contains("tollgate_admission_waiting{lane=\"reservation\"}")
                .contains("tollgate_admission_waiting{lane=\"settlement\"}");
    }

    @Test
    void the_openapi_document_describes_the_api_and_swagger_ui_is_at_docs() {
        var docs = http.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/v1/reservations")).isTrue();
        assertThat(docs.json().path("paths").has("/v1/accounts/{id}")).isTrue();
        var reserveRefusal = docs.json().path("paths").path("/v1/reservations").path("post").path("responses")
                .path("400");
        assertThat(reserveRefusal.path("description").asString()).contains("unknown_field");
        assertThat(docs.json().path("components").path("schemas").path("Problem").path("properties").has("suggestion"))
                .isTrue();
        var outage = docs.json().path("paths").path("/v1/reservations").path("post").path("responses").path("503");
        assertThat(outage.path("description").asString()).contains("database_unavailable");
        assertThat(outage.path("headers").has("Retry-After")).isTrue();
        var ui = http.get("/docs");
        assertThat(ui.status()).isIn(200, 302);
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
