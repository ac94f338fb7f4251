package dev.tollgate.bench;

/**
 * Idempotency-Key values of one client: unique within the run (a prefix per client and a counter), or
 * none at all when the run measures without them.
 */
final class IdempotencyKeys {

    private final String prefix;
    private final boolean enabled;
    private long next;

    IdempotencyKeys(String prefix, boolean enabled) {
        this.prefix = prefix;
        this.enabled = enabled;
    }

    /** The next key, or null when keys are off. */
    String next() {
        return enabled ? prefix + "-" + next++ : null;
    }
}
