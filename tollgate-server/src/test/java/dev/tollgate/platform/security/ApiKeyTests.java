package dev.tollgate.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeyTests extends IntegrationTest {

    @Test
    void admin_creates_a_key_whose_secret_is_returned_once_and_listed_without_it() {
        var created = admin.post("/v1/api-keys", Map.of("name", unique("svc"), "role", "service"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asString();
        assertThat(secret).startsWith("tg_");
        String id = created.json().path("id").asString();

        var listed = admin.get("/v1/api-keys?limit=200");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).doesNotContain(secret).doesNotContain("\"secret\"");
        String stored = sql.sql("SELECT secret_hash FROM api_key WHERE id = :id").param("id", id)
                .query(String.class).single();
        assertThat(stored).isNotEqualTo(secret).hasSize(64);
    }

    @Test
    void a_revoked_key_stops_working() {
        String secret = keyWithRole("read");
        var created = admin.get("/v1/api-keys?limit=200");
        assertThat(http.as(secret).get("/v1/plans").status()).isNotEqualTo(401);
        String id = sql.sql("SELECT id FROM api_key WHERE prefix = :prefix").param("prefix", secret.substring(0, 8))
                .query(String.class).single();

        var revoked = admin.delete("/v1/api-keys/" + id);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("revoked_at").isNull()).isFalse();
        assertThat(created.status()).isEqualTo(200);

        var after = http.as(secret).get("/v1/plans");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.isProblem()).isTrue();
        assertThat(after.code()).isEqualTo("unauthorized");
    }

    @Test
    void missing_and_unknown_keys_get_401_problems() {
        var missing = http.get("/v1/api-keys");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.isProblem()).isTrue();
        assertThat(missing.code()).isEqualTo("unauthorized");

        var unknown = http.as("tg_not_a_real_key").get("/v1/api-keys");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.code()).isEqualTo("unauthorized");

        var basic = http.withHeader("Authorization", "Basic Zm9vOmJhcg==").get("/v1/api-keys");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.isProblem()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"service", "read"})
    void only_admins_manage_keys(String role) {
        var caller = http.as(keyWithRole(role));
        var create = caller.post("/v1/api-keys", Map.of("name", "x", "role", "admin"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.isProblem()).isTrue();
        assertThat(create.code()).isEqualTo("forbidden");
        assertThat(caller.get("/v1/api-keys").status()).isEqualTo(403);
    }

    @Test
    void a_read_key_cannot_write_anything() {
        var reader = http.as(keyWithRole("read"));
        var response = reader.post("/v1/accounts", Map.of("id", unique("acct")));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.code()).isEqualTo("forbidden");
    }

    @Test
    void unknown_routes_wrong_methods_media_types_and_bodies_are_problems() {
        var notFound = admin.get("/v1/no-such-thing");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.isProblem()).isTrue();
        assertThat(notFound.code()).isEqualTo("not_found");

        var wrongMethod = admin.send("PATCH", "/v1/api-keys", "{}", "application/json");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.code()).isEqualTo("method_not_allowed");

        var wrongType = admin.send("POST", "/v1/api-keys", "name=x", "application/x-www-form-urlencoded");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.code()).isEqualTo("unsupported_media_type");

        var malformed = admin.send("POST", "/v1/api-keys", "{\"name\": ", "application/json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.code()).isEqualTo("malformed_json");

        var invalid = admin.post("/v1/api-keys", Map.of("name", "x", "role", "superuser"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("validation_failed");
        assertThat(invalid.json().path("field").asString()).as(invalid.toString()).isEqualTo("role");
    }

    @Test
    void invalid_requests_create_no_key() {
        long before = sql.sql("SELECT count(*) FROM api_key").query(Long.class).single();
        admin.post("/v1/api-keys", Map.of("name", "", "role", "admin"));
        admin.post("/v1/api-keys", Map.of("name", "x", "role", "root"));
        admin.send("POST", "/v1/api-keys", "[1,2", "application/json");
        long after = sql.sql("SELECT count(*) FROM api_key").query(Long.class).single();
        assertThat(after).isEqualTo(before);
    }
}
