package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/** A model's price per 1,000 tokens in USD, from {@code effectiveFrom} until {@code effectiveTo} (open if null). */
public record Price(String provider, String model, @JsonProperty("input_per_1k_usd") BigDecimal inputPer1kUsd,
        @JsonProperty("output_per_1k_usd") BigDecimal outputPer1kUsd,
        @JsonProperty("cached_input_per_1k_usd") BigDecimal cachedInputPer1kUsd, Instant effectiveFrom,
        Instant effectiveTo) {}
