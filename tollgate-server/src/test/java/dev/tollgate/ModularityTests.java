package dev.tollgate;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModularityTests {

    @Test
    void capabilities_depend_only_inward_without_cycles() {
        ApplicationModules.of(TollgateApplication.class).verify();
    }
}
