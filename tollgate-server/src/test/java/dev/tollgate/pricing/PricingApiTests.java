package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class PricingApiTests extends IntegrationTest {

    private static final String VALID = "{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"0.002\"}";

    private JsonNode listed(String provider, String model) {
        var response = http.as(keyWithRole("read")).get("/v1/prices");
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("data").valueStream()
                .filter(price -> price.path("provider").asString().equals(provider)
                        && price.path("model").asString().equals(model))
                .findFirst()
                .orElseThrow(() -> new AssertionError(provider + "/" + model + " not listed"));
    }

    private long rows(String model) {
        return sql.sql("SELECT count(*) FROM model_price WHERE model = :model").param("model", model)
                .query(Long.class).single();
    }

    @Test
    void every_key_lists_the_current_price_of_every_model_as_per_1k_decimal_strings() {
        var gpt4o = listed("openai", "gpt-4o");
        assertThat(gpt4o.path("input_per_1k_usd").asString()).isEqualTo("0.0025");
        assertThat(gpt4o.path("output_per_1k_usd").asString()).isEqualTo("0.01");
        assertThat(gpt4o.path("cached_input_per_1k_usd").asString()).isEqualTo("0.00125");
        assertThat(gpt4o.path("cache_write_per_1k_usd").asString()).as("OpenAI charges no more for a cache write")
                .isEqualTo("0.0025");
        assertThat(listed("anthropic", "claude-sonnet-4-5").path("cache_write_per_1k_usd").asString())
                .as("Anthropic's 5-minute cache write: 1.25 times input").isEqualTo("0.00375");
        assertThat(listed("anthropic", "claude-sonnet-4-5").path("cache_write_1h_per_1k_usd").asString())
                .as("Anthropic's 1-hour cache write: 2 times input").isEqualTo("0.006");
        assertThat(gpt4o.path("cache_write_1h_per_1k_usd").asString()).isEqualTo("0.0025");
        assertThat(gpt4o.path("effective_from").asString()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(gpt4o.path("effective_to").isNull()).isTrue();
        assertThat(listed("google", "gemini-1.5-flash").path("cached_input_per_1k_usd").asString())
                .isEqualTo("0.00001875");

        var asService = http.as(keyWithRole("service")).get("/v1/prices");
        assertThat(asService.status()).isEqualTo(200);
        assertThat(asService.json().has("next_cursor")).isTrue();
        assertThat(asService.json().path("next_cursor").isNull()).isTrue();
        var models = asService.json().path("data").valueStream()
                .map(price -> price.path("provider").asString() + "/" + price.path("model").asString())
                .toList();
        assertThat(models).contains("openai/gpt-4.1-nano", "openai/gpt-5", "openai/o4-mini",
                "anthropic/claude-opus-4-1", "anthropic/claude-3-haiku", "google/gemini-2.0-flash");
    }

    @Test
    void put_keeps_the_older_price_closed_where_the_new_one_starts() {
        String model = unique("m");
        var first = admin.put("/v1/prices/acme/" + model, Map.of("input_per_1k_usd", "0.0025",
                "output_per_1k_usd", "0.01", "cached_input_per_1k_usd", "0.00125"));
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().path("input_per_1k_usd").asString()).isEqualTo("0.0025");
        assertThat(first.json().path("effective_to").isNull()).isTrue();

        var second = admin.put("/v1/prices/acme/" + model,
                Map.of("input_per_1k_usd", "0.003", "output_per_1k_usd", "0.012"));
        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        assertThat(second.json().path("cached_input_per_1k_usd").asString())
                .as("without a cached price, cached input costs what input costs").isEqualTo("0.003");

        var history = admin.get("/v1/prices/acme/" + model + "/history");
        assertThat(history.status()).isEqualTo(200);
        var data = history.json().path("data");
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.get(0).path("input_per_1k_usd").asString()).isEqualTo("0.003");
        assertThat(data.get(0).path("effective_to").isNull()).isTrue();
        assertThat(data.get(1).path("input_per_1k_usd").asString()).isEqualTo("0.0025");
        assertThat(data.get(1).path("effective_to").asString()).isEqualTo(data.get(0).path("effective_from").asString());
        assertThat(listed("acme", model).path("output_per_1k_usd").asString()).isEqualTo("0.012");
        Long stored = sql.sql("SELECT input_micros_per_million FROM model_price WHERE model = :model AND effective_to IS NULL")
                .param("model", model).query(Long.class).single();
        assertThat(stored).isEqualTo(3_000_000L);
    }

    @Test
    void a_price_can_be_scheduled_for_later_without_changing_the_current_one() {
        String model = unique("m");
        admin.put("/v1/prices/acme/" + model, Map.of("input_per_1k_usd", "0.001", "output_per_1k_usd", "0.002"));
        Instant later = clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);

        var scheduled = admin.put("/v1/prices/acme/" + model, Map.of("input_per_1k_usd", "0.0005",
                "output_per_1k_usd", "0.001", "effective_from", later.toString()));

        assertThat(scheduled.status()).as(scheduled.toString()).isEqualTo(200);
        assertThat(scheduled.json().path("effective_from").asString()).isEqualTo(later.toString());
        assertThat(listed("acme", model).path("input_per_1k_usd").asString()).isEqualTo("0.001");
        var history = admin.get("/v1/prices/acme/" + model + "/history").json().path("data");
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(1).path("effective_to").asString()).isEqualTo(later.toString());
    }

    @Test
    void json_numbers_are_read_exactly_never_through_a_double() {
        String model = unique("m");
        // 0.0003 as a double is 2.9999999999999997E-4.
        var put = admin.send("PUT", "/v1/prices/acme/" + model,
                "{\"input_per_1k_usd\": 0.0003, \"output_per_1k_usd\": 0.00015, \"cached_input_per_1k_usd\": 0}",
                "application/json");

        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().path("input_per_1k_usd").asString()).isEqualTo("0.0003");
        assertThat(put.json().path("cached_input_per_1k_usd").asString()).isEqualTo("0");
        var stored = sql.sql("""
                        SELECT input_micros_per_million, output_micros_per_million FROM model_price WHERE model = :model
                        """)
                .param("model", model).query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)}).single();
        assertThat(stored).containsExactly(300_000L, 150_000L);
    }

    @Test
    void names_are_stored_lowercase_and_dotted_names_work_in_paths() {
        String model = unique("Model.V2");
        var put = admin.send("PUT", "/v1/prices/ACME/" + model, VALID, "application/json");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().path("provider").asString()).isEqualTo("acme");
        assertThat(put.json().path("model").asString()).isEqualTo(model.toLowerCase());

        var history = admin.get("/v1/prices/openai/gpt-4.1/history");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().path("data").get(0).path("model").asString()).isEqualTo("gpt-4.1");
    }

    @Test
    void repeating_a_put_writes_no_new_history() {
        String model = unique("m");
        var first = admin.send("PUT", "/v1/prices/acme/" + model, VALID, "application/json");
        var again = admin.send("PUT", "/v1/prices/acme/" + model, VALID, "application/json");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(rows(model)).isEqualTo(1);
    }

    @Test
    void a_price_starting_before_the_latest_one_is_a_conflict_and_changes_nothing() {
        String model = unique("m");
        String later = clock.instant().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS).toString();
        admin.put("/v1/prices/acme/" + model,
                Map.of("input_per_1k_usd", "0.001", "output_per_1k_usd", "0.002", "effective_from", later));

        var now = admin.send("PUT", "/v1/prices/acme/" + model, VALID.replace("0.001", "0.004"), "application/json");

        assertThat(now.status()).isEqualTo(409);
        assertThat(now.isProblem()).isTrue();
        assertThat(now.code()).isEqualTo("price_out_of_order");
        assertThat(rows(model)).isEqualTo(1);
    }

    static Stream<Arguments> invalid_bodies() {
        return Stream.of(
                Arguments.of("{\"input_per_1k_usd\": \"-0.001\", \"output_per_1k_usd\": \"0.002\"}", "input_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.0000000001\", \"output_per_1k_usd\": \"0.002\"}",
                        "input_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": 0.0000000001, \"output_per_1k_usd\": \"0.002\"}", "input_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"10.5\"}", "output_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": 1e400}", "output_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"cheap\", \"output_per_1k_usd\": \"0.002\"}", "input_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": true, \"output_per_1k_usd\": \"0.002\"}", "input_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\"}", "output_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"0.002\", "
                        + "\"cached_input_per_1k_usd\": \"-1\"}", "cached_input_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"0.002\", "
                        + "\"cache_write_per_1k_usd\": \"abc\"}", "cache_write_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"0.002\", "
                        + "\"cache_write_1h_per_1k_usd\": \"-0.5\"}", "cache_write_1h_per_1k_usd"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"0.002\", "
                        + "\"effective_from\": \"1999-12-31T00:00:00Z\"}", "effective_from"),
                Arguments.of("{\"input_per_1k_usd\": \"0.001\", \"output_per_1k_usd\": \"0.002\", "
                        + "\"effective_from\": \"tomorrow\"}", "effective_from"));
    }

    @ParameterizedTest
    @MethodSource("invalid_bodies")
    void invalid_prices_are_validation_problems_naming_the_field_and_store_nothing(String body, String field) {
        String model = unique("m");
        var response = admin.send("PUT", "/v1/prices/acme/" + model, body, "application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.json().path("field").asString()).as(response.toString()).isEqualTo(field);
        assertThat(rows(model)).isZero();
    }

    @Test
    void every_invalid_field_is_reported_at_once() {
        String model = unique("m");
        var response = admin.send("PUT", "/v1/prices/acme/" + model,
                "{\"input_per_1k_usd\": \"-1\", \"output_per_1k_usd\": \"0.0000000001\"}", "application/json");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").valueStream().map(error -> error.path("field").asString()))
                .containsExactly("input_per_1k_usd", "output_per_1k_usd");
        assertThat(rows(model)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme/bad!model", "acme/-leading-dash", "bad!provider/m",
            "acme/a123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
                    + "12345678901234567890123456789012345678",
            "a12345678901234567890123456789012345678901234567890123456789012345/m"})
    void invalid_names_are_validation_problems_and_store_nothing(String path) {
        long before = sql.sql("SELECT count(*) FROM model_price").query(Long.class).single();
        var response = admin.send("PUT", "/v1/prices/" + path, VALID, "application/json");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.json().path("field").asString()).isIn("provider", "model");
        assertThat(sql.sql("SELECT count(*) FROM model_price").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void the_history_of_an_unknown_model_is_unknown_model() {
        var response = http.as(keyWithRole("read")).get("/v1/prices/openai/" + unique("no-such-model") + "/history");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.code()).isEqualTo("unknown_model");
    }

    @Test
    void only_admins_change_prices() {
        String model = unique("m");
        for (String role : new String[] {"service", "read"}) {
            var response = http.as(keyWithRole(role)).send("PUT", "/v1/prices/acme/" + model, VALID, "application/json");
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.code()).isEqualTo("forbidden");
        }
        assertThat(rows(model)).isZero();
    }
}
