package dev.tollgate.bench;

/** A correctness check of a scenario (no overspend, reconciliation empty, no failed call). */
record Check(String name, boolean passed, String detail) {

    static Check of(String name, boolean passed, String detail) {
        return new Check(name, passed, detail);
    }
}
