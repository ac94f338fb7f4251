package dev.tollgate.gateway;

/** A new gateway key with its secret, which is shown once and never stored. */
public record CreatedGatewayKey(GatewayKey key, String secret) {

    @Override
    public String toString() {
        return "CreatedGatewayKey[id=" + key.id() + ", secret=<redacted>]";
    }
}
