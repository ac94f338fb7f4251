package dev.tollgate.platform.security;

/** A new key and its secret, which exists only in this value and the response that carries it. */
public record CreatedApiKey(ApiKey key, String secret) {

    @Override
    public String toString() {
        return "CreatedApiKey[key=" + key + ", secret=<redacted>]";
    }
}
