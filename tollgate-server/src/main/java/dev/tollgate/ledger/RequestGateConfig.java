package dev.tollgate.ledger;

import dev.tollgate.ledger.RequestGate.Lane;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers {@link RequestGateFilter}, sized by the processors this JVM may use, unless it is disabled. */
@Configuration(proxyBeanMethods = false)
class RequestGateConfig {

    private static final Logger log = LoggerFactory.getLogger(RequestGateConfig.class);

    @Bean
    FilterRegistrationBean<RequestGateFilter> requestGateFilter(RequestGateSettings settings, MeterRegistry meters) {
        int cores = Runtime.getRuntime().availableProcessors();
        int permits = settings.permits(cores);
        int settlementPermits = settings.settlementPermits(cores);
        var gate = settings.newGate(cores);
        var registration = new FilterRegistrationBean<>(new RequestGateFilter(gate));
        registration.setOrder(RequestGateFilter.ORDER);
        registration.setEnabled(settings.enabled());
        if (settings.enabled()) {
            // Only a gate in use is measured: a disabled one would report an empty line forever.
            for (Lane lane : Lane.values()) {
                // The gauge keeps its first name, which dashboards and alerts already query.
                Gauge.builder("tollgate.admission.waiting", gate, g -> g.waiting(lane))
                        .description("Metering requests waiting for a permit, by lane")
                        .tag("lane", lane.name().toLowerCase(Locale.ROOT))
                        .register(meters);
            }
            log.info("Request gate: {} requests at a time, at most {} of them settlements, reservations first",
                    permits, settlementPermits);
        }
        return registration;
    }
}
