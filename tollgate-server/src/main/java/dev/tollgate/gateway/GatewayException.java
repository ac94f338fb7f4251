package dev.tollgate.gateway;

/** Ends a proxied call early with an error in the provider's shape; thrown before anything is reserved. */
final class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient GatewayError error;

    GatewayException(GatewayError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    GatewayError error() {
        return error;
    }
}
