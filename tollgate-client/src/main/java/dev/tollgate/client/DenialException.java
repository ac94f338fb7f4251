package dev.tollgate.client;

/**
 * A reservation was denied. {@link #getMessage()} is the message to show the user, word for word as
 * Tollgate wrote it (for example "Insufficient tokens. You have 500 tokens remaining, but this request
 * needs ~1500 tokens.").
 */
public class DenialException extends TollgateProblemException {

    private static final long serialVersionUID = 1L;

    private final DenialReason reason;

    public DenialException(Problem problem, DenialReason reason) {
        super(problem);
        this.reason = reason;
    }

    public DenialReason reason() {
        return reason;
    }
}
