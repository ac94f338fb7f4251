package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tollgate.Http;
import dev.tollgate.IntegrationTest;
import dev.tollgate.TollgateApplication;
import dev.tollgate.platform.security.EndUserTest;
import dev.tollgate.platform.security.JwksServer;
import dev.tollgate.platform.security.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Runs a whole Tollgate node, from start to stop, with DEBUG logging for Tollgate, Spring Security,
 * Spring MVC and JDBC, while it creates and uses keys, meets good and bad keys and tokens and answers
 * requests with problems; then proves that no secret it saw appears anywhere in what was logged.
 */
class NoSecretsInLogsTests {

    private static final List<String> DEBUG_LOGGERS = List.of("dev.tollgate", "org.springframework.security",
            "org.springframework.web", "org.springframework.jdbc", "com.zaxxer.hikari");

    /** Attaches the capture right after Spring Boot has set logging up, so startup is captured too. */
    private record Capture(ListAppender<ILoggingEvent> appender)
            implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            var context = (LoggerContext) LoggerFactory.getILoggerFactory();
            appender.setContext(context);
            appender.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

        void detach() {
            var context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
    }

    @Test
    void no_secret_is_ever_written_to_the_log() {
        var jwks = JwksServer.start();
        var arguments = new LinkedHashMap<String, Object>();
        IntegrationTest.registerDatabase((name, value) -> arguments.put(name, value.get()));
        arguments.put("server.port", "0");
        arguments.put("tollgate.jwt.secret", EndUserTest.JWT_SECRET);
        arguments.put("tollgate.jwt.jwks-url", jwks.url());
        arguments.put("tollgate.jwt.issuer", Tokens.ISSUER);
        String stripeSecret = "whsec_" + UUID.randomUUID().toString().replace("-", "");
        arguments.put("tollgate.stripe.webhook-secret", stripeSecret);
        DEBUG_LOGGERS.forEach(logger -> arguments.put("logging.level." + logger, "DEBUG"));

        var capture = new Capture(new ListAppender<>());
        List<String> secrets = new ArrayList<>(List.of(IntegrationTest.ADMIN_KEY, EndUserTest.JWT_SECRET,
                stripeSecret));
        List<Http.Response> responses = new ArrayList<>();
        try (var node = new SpringApplicationBuilder(TollgateApplication.class).listeners(capture)
                .run(arguments.entrySet().stream().map(a -> "--" + a.getKey() + "=" + a.getValue())
                        .toArray(String[]::new))) {
            var http = new Http("http://localhost:" + node.getEnvironment().getProperty("local.server.port"), null);
            var admin = http.as(IntegrationTest.ADMIN_KEY);
            var tokens = new Tokens(EndUserTest.JWT_SECRET, jwks, Clock.systemUTC());
            String account = "logged-" + UUID.randomUUID();

            // The one response that carries a secret on purpose, once; it is not among the checked responses.
            var created = admin.post("/v1/api-keys", Map.of("name", "service for log test", "role", "service"));
            String serviceKey = created.json().path("secret").asString();
            String keyId = created.json().path("id").asString();
            secrets.add(serviceKey);
            var service = http.as(serviceKey);
            responses.add(service.post("/v1/accounts", Map.of("id", account, "email", "user@example.com")));
            responses.add(service.get("/v1/plans"));
            responses.add(service.post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                    "model", "gpt-4o", "input_tokens", 10)));

            String badKey = "tg_" + UUID.randomUUID().toString().replace("-", "");
            String foreignKey = "sk-live-" + UUID.randomUUID();
            String basicPassword = "hunter2-" + UUID.randomUUID();
            secrets.addAll(List.of(badKey, foreignKey, basicPassword));
            responses.add(http.as(badKey).get("/v1/plans"));
            responses.add(http.as(foreignKey).get("/v1/plans"));
            responses.add(http.withHeader("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + basicPassword).getBytes(StandardCharsets.UTF_8))).get("/v1/plans"));

            Map<String, String> jwts = Map.of(
                    "own", tokens.hs256(account),
                    "own rs256", tokens.rs256(account),
                    "expired", tokens.expired(account),
                    "unsigned", tokens.unsigned(account),
                    "wrong key", tokens.wrongKey(account),
                    "forged", tokens.forgedWithPublishedKid(account),
                    "other user", tokens.es256("someone-else"));
            jwts.forEach((what, jwt) -> {
                secrets.add(jwt);
                secrets.add(jwt.substring(jwt.indexOf('.') + 1));
                responses.add(http.as(jwt).get("/v1/accounts/" + account));
                responses.add(http.as(jwt).post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "1")));
            });

            var webhook = admin.post("/v1/webhook-endpoints", Map.of("url", "https://example.com/hooks/tollgate"));
            assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
            assertThat(webhook.json().path("secret").asString()).isNotEmpty();
            secrets.add(webhook.json().path("secret").asString());

            responses.add(http.withHeader("Stripe-Signature", "t=1,v1=" + "0".repeat(64))
                    .send("POST", "/v1/webhooks/stripe", "{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}",
                            "application/json"));
            responses.add(admin.send("POST", "/v1/accounts", "{\"id\": ", "application/json"));
            responses.add(admin.post("/v1/accounts", Map.of("id", "x".repeat(500))));
            responses.add(admin.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "-5")));
            responses.add(admin.post("/v1/reservations/rsv_missing/commit", Map.of("input_tokens", 1,
                    "output_tokens", 1)));
            responses.add(admin.get("/v1/no-such-route"));
            responses.add(admin.delete("/v1/api-keys/" + keyId));
            responses.add(service.get("/v1/plans"));
        } finally {
            capture.detach();
        }

        List<String> logged = capture.appender().list.stream().map(NoSecretsInLogsTests::everything).toList();
        assertThat(capture.appender().list).as("DEBUG logging of Spring Security was captured")
                .anyMatch(e -> e.getLoggerName().startsWith("org.springframework.security")
                        && e.getLevel() == Level.DEBUG);
        assertThat(capture.appender().list).as("Tollgate's own logging was captured")
                .anyMatch(e -> e.getLoggerName().startsWith("dev.tollgate"));
        for (String secret : secrets) {
            assertThat(logged).as("the log").noneMatch(line -> line.contains(secret));
            assertThat(responses).as("the responses").noneMatch(response -> response.text().contains(secret));
        }
    }

    /** Every part of an event that an appender could write. */
    private static String everything(ILoggingEvent event) {
        var text = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        if (event.getArgumentArray() != null) {
            text.append(' ').append(Arrays.deepToString(event.getArgumentArray()));
        }
        text.append(' ').append(event.getMDCPropertyMap());
        if (event.getThrowableProxy() != null) {
            text.append(' ').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        return text.toString();
    }
}
