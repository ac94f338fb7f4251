package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import dev.tollgate.platform.RequestLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RequestLimitsTests extends IntegrationTest {

    private long keys() {
        return sql.sql("SELECT count(*) FROM api_key").query(Long.class).single();
    }

    @Test
    void a_body_declared_larger_than_the_limit_is_413_before_it_is_read() {
        long before = keys();
        String body = "{\"name\":\"" + "x".repeat(RequestLimits.BODY_SIZE_MAX) + "\",\"role\":\"read\"}";
        var response = admin.send("POST", "/v1/api-keys", body, "application/json");
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo("payload_too_large");
        assertThat(keys()).isEqualTo(before);
    }

    @Test
    void a_chunked_body_is_cut_off_at_the_limit() throws Exception {
        long before = keys();
        byte[] body = ("{\"name\":\"" + "x".repeat(RequestLimits.BODY_SIZE_MAX + 10) + "\",\"role\":\"read\"}")
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/api-keys"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> response;
        try (var client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the server should answer, not drop the connection", e);
        }
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(keys()).isEqualTo(before);
    }

    @Test
    void a_body_within_the_limit_reaches_the_handler() {
        String padding = " ".repeat(RequestLimits.BODY_SIZE_MAX - 100);
        var response = admin.send("POST", "/v1/api-keys", padding + "{\"name\":\"\",\"role\":\"read\"}", "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
    }

    @Test
    void nul_characters_are_refused_naming_the_field() {
        long before = keys();
        var response = admin.send("POST", "/v1/api-keys", "{\"name\":\"a\\u0000b\",\"role\":\"read\"}",
                "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.json().path("field").asString()).isEqualTo("name");

        var nested = admin.send("POST", "/v1/api-keys",
                "{\"name\":\"n\",\"role\":\"read\",\"x\":[{\"y\":\"\\u0000\"}]}", "application/json");
        assertThat(nested.json().path("field").asString()).isEqualTo("x[0].y");
        assertThat(keys()).isEqualTo(before);
    }

    @Test
    void json_nested_deeper_than_the_limit_is_refused() {
        String deep = "[".repeat(RequestLimits.JSON_DEPTH_MAX + 1) + "]".repeat(RequestLimits.JSON_DEPTH_MAX + 1);
        var response = admin.send("POST", "/v1/api-keys", "{\"name\":\"n\",\"role\":\"read\",\"x\":" + deep + "}",
                "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.json().path("field").asString()).startsWith("x[0]");

        var veryDeep = admin.send("POST", "/v1/api-keys", "[".repeat(100_000), "application/json");
        assertThat(veryDeep.status()).isEqualTo(400);
        assertThat(veryDeep.isProblem()).isTrue();
    }

    @Test
    void oversized_headers_are_refused_without_a_server_error() {
        var response = admin.withHeader("X-Padding", "p".repeat(20 * 1024)).get("/v1/api-keys");
        assertThat(response.status()).isBetween(400, 499);
        var longUrl = admin.get("/v1/api-keys?cursor=" + "c".repeat(20 * 1024));
        assertThat(longUrl.status()).isBetween(400, 499);
    }

    @Test
    void page_sizes_are_bounded() {
        var response = admin.get("/v1/api-keys?limit=201");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("invalid_parameter");
        assertThat(admin.get("/v1/api-keys?limit=200").status()).isEqualTo(200);
        assertThat(admin.get("/v1/api-keys?limit=-1").status()).isEqualTo(400);
        assertThat(admin.get("/v1/api-keys?limit=99999999999999").status()).isEqualTo(400);
    }

    @Test
    void problems_never_carry_stack_traces_or_sql() {
        for (var response : new dev.tollgate.Http.Response[] {
                admin.send("POST", "/v1/api-keys", "{\"name\": ", "application/json"),
                admin.send("POST", "/v1/api-keys", "{\"name\":\"x\",\"role\":[1]}", "application/json"),
                admin.get("/v1/api-keys?limit=abc")}) {
            assertThat(response.isProblem()).isTrue();
            assertThat(JsonMapper.shared().readTree(response.text()).has("trace")).isFalse();
            assertThat(response.text()).doesNotContainIgnoringCase("exception").doesNotContain("SELECT")
                    .doesNotContain("tools.jackson").doesNotContain("at dev.tollgate");
        }
    }
}
