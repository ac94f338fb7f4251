package dev.tollgate.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import dev.tollgate.TollgateNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRevocationTests extends IntegrationTest {

    @Test
    void a_key_revoked_on_one_node_stops_working_on_another_within_a_second() {
        var created = admin.post("/v1/api-keys", Map.of("name", unique("revoked"), "role", "read"));
        String secret = created.json().path("secret").asString();
        try (var other = TollgateNode.start(Map.of())) {
            var elsewhere = other.admin().as(secret);
            assertThat(elsewhere.get("/v1/plans").status()).as("cached as valid on the other node").isEqualTo(200);

            assertThat(admin.delete("/v1/api-keys/" + created.json().path("id").asString()).status()).isEqualTo(200);
            clock.advance(ApiKeys.CACHE_TTL.plus(Duration.ofMillis(1)));

            var after = elsewhere.get("/v1/plans");
            assertThat(after.status()).isEqualTo(401);
            assertThat(after.code()).isEqualTo("unauthorized");
        }
    }
}
