package dev.tollgate.client;

/**
 * Tollgate could not be reached, or kept answering "try again" (503, {@code retryable: true}) through
 * every retry. With fail-open configured, a reservation is approved locally instead of throwing this.
 */
public class TollgateUnavailableException extends TollgateException {

    private static final long serialVersionUID = 1L;

    public TollgateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
