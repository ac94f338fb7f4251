package dev.tollgate.bench;

/** A reserve or commit that neither succeeded nor was a budget decision: a wrong result under load. */
final class CycleFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CycleFailure(String message) {
        super(message);
    }
}
