package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** The request gate's settings under their new names, and the former {@code tollgate.admission.*} as aliases. */
class RequestGateSettingsTests {

    private static RequestGateSettings bind(Map<String, Object> properties) throws IOException {
        var environment = new StandardEnvironment();
        for (var source : new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))) {
            environment.getPropertySources().addLast(source);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bind("tollgate.request-gate", RequestGateSettings.class).get();
    }

    @Test
    void the_defaults_are_two_permits_and_one_settlement_permit_per_core() throws IOException {
        assertThat(bind(Map.of())).isEqualTo(new RequestGateSettings(true, 2, 1, Duration.ofSeconds(2)));
    }

    @Test
    void the_former_admission_names_still_set_the_gate() throws IOException {
        var settings = bind(Map.of("tollgate.admission.permits-per-core", "4",
                "tollgate.admission.settlement-wait-max", "PT1S", "tollgate.admission.enabled", "false"));

        assertThat(settings).isEqualTo(new RequestGateSettings(false, 4, 1, Duration.ofSeconds(1)));
    }

    @Test
    void a_new_name_wins_over_its_former_one() throws IOException {
        var settings = bind(Map.of("tollgate.request-gate.permits-per-core", "8",
                "tollgate.admission.permits-per-core", "4"));

        assertThat(settings.permitsPerCore()).isEqualTo(8);
    }
}
