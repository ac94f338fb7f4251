package dev.tollgate.client;

import java.math.BigDecimal;

/** Amounts on each meter; {@code null} tokens or conversations mean the meter is unlimited. */
public record Amounts(Long tokens, Long conversations, long credits, BigDecimal usd) {}
