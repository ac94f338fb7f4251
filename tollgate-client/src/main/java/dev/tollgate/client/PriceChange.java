package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A new price per 1,000 tokens in USD; it applies from {@code effectiveFrom} (now if null), older prices are kept. */
public record PriceChange(@JsonProperty("input_per_1k_usd") BigDecimal inputPer1kUsd,
        @JsonProperty("output_per_1k_usd") BigDecimal outputPer1kUsd,
        @JsonProperty("cached_input_per_1k_usd") BigDecimal cachedInputPer1kUsd, Instant effectiveFrom) {

    public PriceChange {
        Objects.requireNonNull(inputPer1kUsd, "inputPer1kUsd");
        Objects.requireNonNull(outputPer1kUsd, "outputPer1kUsd");
    }

    public static PriceChange of(String inputPer1kUsd, String outputPer1kUsd) {
        return new PriceChange(new BigDecimal(inputPer1kUsd), new BigDecimal(outputPer1kUsd), null, null);
    }
}
