package dev.tollgate.billing;

import java.util.Locale;

/** What became of a Stripe event. */
enum StripeOutcome {
    /** It changed an account. */
    APPLIED,
    /** It concerns nothing Tollgate manages (another type, a one-off invoice, an unpaid checkout). */
    IGNORED,
    /** Its account is not known yet; the state is kept and applied when the checkout names the account. */
    PENDING,
    /** It was handled before; nothing changed. */
    DUPLICATE;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
