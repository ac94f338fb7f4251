package dev.tollgate.event;

import dev.tollgate.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** What the event module refuses: unknown endpoints and deliveries, and live streams over their limits. */
public enum EventProblem implements ProblemType {
    WEBHOOK_ENDPOINT_NOT_FOUND("webhook_endpoint_not_found", "Webhook endpoint not found", HttpStatus.NOT_FOUND),
    WEBHOOK_DELIVERY_NOT_FOUND("webhook_delivery_not_found", "Webhook delivery not found", HttpStatus.NOT_FOUND),
    WEBHOOK_DELIVERY_NOT_FAILED(
            "webhook_delivery_not_failed", "Only a failed delivery can be retried", HttpStatus.CONFLICT),
    STREAM_LIMIT_REACHED("stream_limit_reached", "Too many live streams for this account",
            HttpStatus.TOO_MANY_REQUESTS) {
        @Override
        public boolean retryable() {
            return true;
        }
    },
    STREAM_CAPACITY_REACHED("stream_capacity_reached", "No capacity for another live stream",
            HttpStatus.SERVICE_UNAVAILABLE) {
        @Override
        public boolean retryable() {
            return true;
        }
    };

    private final Definition definition;

    EventProblem(String code, String title, HttpStatus status) {
        this.definition = new Definition(code, title, status);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
