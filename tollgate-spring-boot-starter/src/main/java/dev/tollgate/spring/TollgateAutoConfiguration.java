package dev.tollgate.spring;

import dev.tollgate.client.DecisionListener;
import dev.tollgate.client.FailOpen;
import dev.tollgate.client.RetryPolicy;
import dev.tollgate.client.TollgateClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Tollgate client from {@code tollgate.client.*}, with its health contributor and decision meters. */
@AutoConfiguration
@ConditionalOnProperty(prefix = "tollgate.client", name = "base-url")
@EnableConfigurationProperties(TollgateClientProperties.class)
public class TollgateAutoConfiguration {

    /** Closed with the context, which stops the fail-open flusher. */
    @Bean
    @ConditionalOnMissingBean
    TollgateClient tollgateClient(TollgateClientProperties properties, ObjectProvider<DecisionListener> listeners) {
        var retry = properties.retry();
        var failOpen = properties.failOpen();
        return TollgateClient.builder()
                .baseUrl(properties.baseUrl())
                .apiKey(properties.apiKey())
                .connectTimeout(properties.connectTimeout())
                .requestTimeout(properties.requestTimeout())
                .retry(new RetryPolicy(retry.attemptsMax(), retry.backoffInitial(), retry.backoffMax()))
                .failOpen(failOpen.enabled()
                        ? FailOpen.upTo(failOpen.tokensMax()).withFlushInterval(failOpen.flushInterval())
                        : FailOpen.CLOSED)
                .listener(new DecisionListeners(listeners.orderedStream().toList()))
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        MicrometerDecisionListener tollgateDecisionMeters(ObjectProvider<MeterRegistry> registry) {
            return new MicrometerDecisionListener(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean(name = "tollgate")
        @ConditionalOnMissingBean(name = "tollgate")
        HealthIndicator tollgateHealthIndicator(TollgateClient client, TollgateClientProperties properties) {
            return new TollgateHealthIndicator(client, properties.baseUrl());
        }
    }
}
