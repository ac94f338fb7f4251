package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsdPer1kTokensTests {

    @ParameterizedTest
    @CsvSource({
        "0.0025, 2500000, 0.0025",
        "0.01, 10000000, 0.01",
        "0.000075, 75000, 0.000075",
        "0.0000375, 37500, 0.0000375",
        "0.000000001, 1, 0.000000001",
        "0.00250000000000, 2500000, 0.0025",
        "2.5E-3, 2500000, 0.0025",
        "0, 0, 0",
        "10, 10000000000, 10",
    })
    void per_1k_usd_converts_exactly_to_micros_per_million_and_back(String usdPer1k, long micros, String formatted) {
        assertThat(UsdPer1kTokens.toMicrosPerMillion(new BigDecimal(usdPer1k))).isEqualTo(micros);
        assertThat(UsdPer1kTokens.format(micros)).isEqualTo(formatted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.001", "0.0000000001", "10.000000001", "1E+999999999", "1E-999999999", "0.00000000015"})
    void values_that_cannot_be_stored_exactly_or_are_out_of_range_are_rejected(String usdPer1k) {
        assertThatThrownBy(() -> UsdPer1kTokens.toMicrosPerMillion(new BigDecimal(usdPer1k)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
