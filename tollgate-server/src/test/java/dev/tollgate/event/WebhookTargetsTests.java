package dev.tollgate.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.TollgateNode;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetsTests {

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://172.16.0.1/hook",
            "http://192.168.1.1/hook", "http://169.254.169.254/latest/meta-data", "http://100.64.0.1/hook",
            "http://0.0.0.0/hook", "http://[::1]/hook", "http://[fd00::1]/hook", "http://[fe80::1]/hook"})
    void internal_addresses_are_refused(String url) {
        assertThat(WebhookTargets.refusal(URI.create(url))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/hook", "https://[2001:4860:4860::8888]/hook", "http://93.184.215.14/x"})
    void public_addresses_are_allowed(String url) {
        assertThat(WebhookTargets.refusal(URI.create(url))).isEmpty();
    }

    @Test
    void by_default_an_admin_cannot_point_a_webhook_at_the_cloud_metadata_service() {
        try (var node = TollgateNode.start(Map.of("tollgate.webhooks.allow-private-networks", "false"))) {
            var refused = node.admin().post("/v1/webhook-endpoints",
                    Map.of("url", "http://169.254.169.254/latest/meta-data/iam"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.code()).isEqualTo("validation_failed");
            assertThat(refused.json().path("field").asString()).isEqualTo("url");
            var local = node.admin().post("/v1/webhook-endpoints", Map.of("url", "http://localhost:9/hook"));
            assertThat(local.status()).isEqualTo(400);
        }
    }
}
