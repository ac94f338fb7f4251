package dev.tollgate.ledger;

import dev.tollgate.platform.Validation;

/**
 * Seed 001's credit transactions as callers name them, and the amounts each may move: the API and the admin
 * console check a request with these before {@link Ledger#adjustCredits} runs, so both refuse the same input
 * with the same message.
 */
public final class CreditTransactions {

    public static final long AMOUNT_MAX = 1_000_000_000L;

    private CreditTransactions() {}

    /** {@code add}, {@code deduct}, {@code refund} or {@code admin_adjustment}; anything else is refused on {@code field}. */
    public static EntryType type(String wireName, String field) {
        return switch (wireName) {
            case "add" -> EntryType.ADD;
            case "deduct" -> EntryType.DEDUCT;
            case "refund" -> EntryType.REFUND;
            case "admin_adjustment" -> EntryType.ADMIN_ADJUSTMENT;
            default -> throw Validation.invalid(field, "must be one of add, deduct, refund, admin_adjustment");
        };
    }

    /** An admin adjustment is signed and not zero; the others are positive, the type giving the direction. */
    public static void checkAmount(EntryType type, long amount, String field) {
        if (type == EntryType.ADMIN_ADJUSTMENT) {
            Validation.check(amount != 0 && Math.abs(amount) <= AMOUNT_MAX, field,
                    "must be a non-zero whole number of credits within +/-" + AMOUNT_MAX);
        } else {
            Validation.check(amount > 0 && amount <= AMOUNT_MAX, field,
                    "must be a positive whole number of credits up to " + AMOUNT_MAX);
        }
    }
}
