package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** A plan of the catalog; {@code null} tokens or conversations per period mean unlimited. */
public record Plan(String code, String name, BigDecimal priceUsd, String currency, String period, int trialDays,
        Long tokensPerPeriod, Long conversationsPerPeriod, long creditsPerRequest, boolean chargesBalance,
        String stripePriceId, Integer sortOrder, @JsonProperty("public") Boolean listed) {}
