package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Input that Jackson, the firewall or the container would once have bent or answered in their own way. */
class StrictInputTests extends IntegrationTest {

    private String account() {
        String id = unique("strict");
        assertThat(admin.post("/v1/accounts", Map.of("id", id)).status()).isEqualTo(201);
        return id;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "input_tokens | 1.5",
            "input_tokens | \"10\"",
            "input_tokens | true",
            "output_tokens | 10.0",
            "byok | 1",
            "byok | \"true\"",
            "job_type | 42",
            "job_type | false"})
    void wrongly_typed_fields_are_refused_not_converted(String field, String json) {
        String account = account();
        var body = new java.util.LinkedHashMap<String, Object>(Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "output_tokens", 5));
        String text = dev.tollgate.Http.json(body);
        text = text.contains("\"" + field + "\"")
                ? text.replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":" + json)
                : text.substring(0, text.length() - 1) + ",\"" + field + "\":" + json + "}";
        var response = admin.send("POST", "/v1/usage", text, "application/json");
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.json().path("field").asString()).isEqualTo(field);
        assertThat(admin.get("/v1/accounts/" + account + "/usage").json().path("data").size()).isZero();
    }

    @Test
    void money_and_prices_still_arrive_as_decimal_strings_and_prices_as_numbers_too() {
        String account = account();
        assertThat(admin.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "12.50")).status())
                .isEqualTo(201);
        assertThat(admin.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", 12.5)).status())
                .as("money is never a JSON number").isEqualTo(400);
        String model = "strict-" + System.nanoTime();
        var price = admin.put("/v1/prices/strictprovider/" + model,
                Map.of("input_per_1k_usd", 0.0025, "output_per_1k_usd", "0.01"));
        assertThat(price.status()).as(price.toString()).isEqualTo(200);
    }

    @Test
    void trailing_content_after_the_document_is_refused() {
        var response = admin.send("POST", "/v1/accounts", "{\"id\":\"" + unique("trail") + "\"} {\"id\":\"x\"}",
                "application/json");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/plans/%00", "/v1/plans/a;b", "/v1/accounts/%2e%2e/ledger",
            "/v1/accounts/a%2Fb"})
    void urls_refused_by_the_firewall_or_the_container_are_problems(String path) {
        var response = admin.get(path);
        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        assertThat(response.isProblem()).as(response.toString()).isTrue();
        assertThat(response.text()).doesNotContain("<html").doesNotContain("Exception");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'; DROP TABLE account; --", "\uD83D\uDE00 emoji", "\u202Eright-to-left",
            "zero\u200Bwidth", "\u4E2D\u6587", "e\u0301", "%s%n", "${jndi:ldap://127.0.0.1/a}", "lone \uD83D"})
    void hostile_but_valid_text_is_stored_and_read_back_never_a_server_error(String text) {
        // Ids stay URL-safe here: the firewall refuses a path holding an encoded ';', '%' or '/'.
        String id = unique("weird") + text.replaceAll("[;%/$]", "");
        var created = admin.post("/v1/accounts", Map.of("id", id, "email", text, "metadata", Map.of(text, text)));
        assertThat(created.status()).as(created.toString()).isLessThan(500);
        if (created.status() == 201) {
            var read = admin.get("/v1/accounts/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().path("email").asString()).isEqualTo(created.json().path("email").asString());
        }
    }
}
