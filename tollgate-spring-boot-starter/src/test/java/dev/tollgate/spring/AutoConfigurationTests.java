package dev.tollgate.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.client.DenialException;
import dev.tollgate.client.NewAccount;
import dev.tollgate.client.RealTollgate;
import dev.tollgate.client.Reservation;
import dev.tollgate.client.ReserveRequest;
import dev.tollgate.client.TollgateClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What {@code tollgate.client.*} configures: the client, its health contributor and its decision meters. */
class AutoConfigurationTests {

    private static final RealTollgate TOLLGATE = RealTollgate.instance();

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(TollgateAutoConfiguration.class, TollgateAiAutoConfiguration.class));

    @Test
    void without_a_base_url_nothing_is_configured() {
        contexts.run(context -> assertThat(context).doesNotHaveBean(TollgateClient.class)
                .doesNotHaveBean(TollgateAdvisor.class));
    }

    @Test
    void the_client_comes_from_the_properties_and_its_health_follows_tollgate() throws IOException {
        contexts.withPropertyValues("tollgate.client.base-url=" + TOLLGATE.baseUrl(),
                "tollgate.client.api-key=" + RealTollgate.ADMIN_KEY).run(context -> {
                    assertThat(context).hasSingleBean(TollgateClient.class).hasSingleBean(TollgateAdvisor.class);
                    var health = context.getBean("tollgate", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                });
        int nobodyListens;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobodyListens = socket.getLocalPort();
        }
        contexts.withPropertyValues("tollgate.client.base-url=http://127.0.0.1:" + nobodyListens,
                "tollgate.client.api-key=tg_unused", "tollgate.client.retry.attempts-max=1").run(context -> {
                    var health = context.getBean("tollgate", HealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void decisions_are_timed_by_outcome_and_denial_reason() {
        contexts.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("tollgate.client.base-url=" + TOLLGATE.baseUrl(),
                        "tollgate.client.api-key=" + RealTollgate.ADMIN_KEY)
                .run(context -> {
                    TollgateClient client = context.getBean(TollgateClient.class);
                    String account = RealTollgate.newAccountId("metrics");
                    client.createAccount(NewAccount.of(account, "trial"));
                    var request = ReserveRequest.builder(account, "openai", "gpt-4o").inputTokens(10)
                            .maxOutputTokens(10).build();
                    try (Reservation reservation = client.reserve(request)) {
                        assertThat(reservation.id()).isNotNull();
                    }
                    var tooBig = ReserveRequest.builder(account, "openai", "gpt-4o").inputTokens(7000).build();
                    assertThatThrownBy(() -> client.reserve(tooBig)).isInstanceOf(DenialException.class);

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(MicrometerDecisionListener.RESERVE_TIMER).tag("outcome", "approved")
                            .timer().count()).isEqualTo(1);
                    var denied = registry.get(MicrometerDecisionListener.RESERVE_TIMER).tag("outcome", "denied")
                            .tag("reason", "insufficient_tokens").timer();
                    assertThat(denied.count()).isEqualTo(1);
                    assertThat(denied.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                });
    }

    @Test
    void the_api_key_never_shows_in_the_properties_text() {
        var properties = new TollgateClientProperties(URI.create("http://localhost:8080"), "tg_secret_value",
                null, null, null, null, null);
        assertThat(properties.toString()).doesNotContain("tg_secret_value").contains("redacted");
    }
}
