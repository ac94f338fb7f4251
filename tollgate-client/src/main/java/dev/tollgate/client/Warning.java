package dev.tollgate.client;

/** A soft warning, for example {@code soft_limit}: "User at 91.7% of quota". */
public record Warning(String code, Double percentUsed, String message) {}
