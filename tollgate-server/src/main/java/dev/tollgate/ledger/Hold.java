package dev.tollgate.ledger;

import dev.tollgate.shared.Money;

/** What a reservation sets aside on each meter, or gives back when it ends. */
record Hold(long tokens, long conversations, long credits, Money amount) {

    static final Hold NONE = new Hold(0, 0, 0, Money.ZERO);

    Hold plus(Hold other) {
        return new Hold(Math.addExact(tokens, other.tokens), Math.addExact(conversations, other.conversations),
                Math.addExact(credits, other.credits), amount.plus(other.amount));
    }
}
