package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Tollgate's wire format: snake_case, absent optional fields left out, new fields in answers ignored. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(
                    include -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            // The contract allows the server to add fields; an older client must keep working.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // And a newer client an older server: a token count the server does not send yet reads as 0.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {}

    static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    static <T> T read(String body, Class<T> type) {
        return MAPPER.readValue(body, type);
    }

    static JsonNode tree(String body) {
        return MAPPER.readTree(body);
    }

    static <T> Page<T> page(String body, Class<T> item) {
        JavaType type = MAPPER.getTypeFactory().constructParametricType(Page.class, item);
        return MAPPER.readValue(body, type);
    }

    static <T> List<T> data(String body, Class<T> item) {
        return page(body, item).data();
    }
}
