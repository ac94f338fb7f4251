package dev.tollgate.client;

/** Every failure of a Tollgate call. Unchecked: callers catch the kind they can act on. */
public class TollgateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TollgateException(String message) {
        super(message);
    }

    public TollgateException(String message, Throwable cause) {
        super(message, cause);
    }
}
