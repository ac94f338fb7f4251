package dev.tollgate.bench;

/** A reserve or commit that neither succeeded nor was a budget decision: a wrong result under load. */
final class CycleFailure extends RuntimeException {

    CycleFailure(String message) {
        super(message);
    }
}
