package dev.tollgate.ledger;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * Rejections of the ledger. The reservation denials are listed in the order they are checked: the
 * first that applies wins (README's quick start lists the same order).
 */
public enum LedgerProblem implements ProblemType {
    TRIAL_EXPIRED("trial_expired", "Trial expired", HttpStatus.PAYMENT_REQUIRED),
    SUBSCRIPTION_INACTIVE("subscription_inactive", "Subscription inactive", HttpStatus.PAYMENT_REQUIRED),
    CONVERSATION_LIMIT_REACHED("conversation_limit_reached", "Conversation limit reached", HttpStatus.PAYMENT_REQUIRED),
    LIMIT_EXCEEDED("limit_exceeded", "Token limit exceeded", HttpStatus.PAYMENT_REQUIRED),
    INSUFFICIENT_TOKENS("insufficient_tokens", "Insufficient tokens", HttpStatus.PAYMENT_REQUIRED),
    INSUFFICIENT_CREDITS("insufficient_credits", "Insufficient credits", HttpStatus.PAYMENT_REQUIRED),
    INSUFFICIENT_BALANCE("insufficient_balance", "Insufficient balance", HttpStatus.PAYMENT_REQUIRED),
    UNKNOWN_MODEL("unknown_model", "Unknown model", HttpStatus.UNPROCESSABLE_CONTENT),
    RESERVATION_NOT_FOUND("reservation_not_found", "Reservation not found", HttpStatus.NOT_FOUND),
    RESERVATION_ALREADY_COMMITTED(
            "reservation_already_committed", "Reservation already committed", HttpStatus.CONFLICT),
    RESERVATION_RELEASED("reservation_released", "Reservation already released", HttpStatus.CONFLICT),
    RESERVATION_CONTENDED("reservation_contended", "Too much contention, try again", HttpStatus.CONFLICT) {
        @Override
        public boolean retryable() {
            return true;
        }
    },
    CREDITS_WOULD_GO_NEGATIVE("insufficient_credits", "Insufficient credits", HttpStatus.UNPROCESSABLE_CONTENT),
    TOP_UP_REFERENCE_REUSED("top_up_reference_reused", "Top-up reference already used for another amount",
            HttpStatus.CONFLICT);

    private final Definition definition;

    LedgerProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }

    static ProblemException reservationNotFound(String id) {
        return new ProblemException(RESERVATION_NOT_FOUND, "No reservation with id '" + id + "'.");
    }
}
