package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * A plan of the catalog; {@code null} tokens or conversations per period mean unlimited. The price is
 * sent as a decimal string, as the API takes money.
 */
public record Plan(String code, String name, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal priceUsd,
        String currency, String period, int trialDays,
        Long tokensPerPeriod, Long conversationsPerPeriod, long creditsPerRequest, boolean chargesBalance,
        String stripePriceId, Integer sortOrder, @JsonProperty("public") Boolean listed) {}
