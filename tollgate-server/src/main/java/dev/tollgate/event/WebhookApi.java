package dev.tollgate.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class WebhookApi {

    private final WebhookEndpoints endpoints;

    WebhookApi(WebhookEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    record CreateEndpointRequest(@NotNull String url, @Nullable List<String> eventTypes,
            @Nullable String description) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EndpointResponse(String id, String url, @Nullable String description, List<String> eventTypes,
            Instant createdAt, @Nullable String secret) {

        static EndpointResponse of(WebhookEndpoint endpoint, boolean withSecret) {
            return new EndpointResponse(endpoint.id(), endpoint.url(), endpoint.description(), endpoint.eventTypes(),
                    endpoint.createdAt(), withSecret ? endpoint.secret() : null);
        }

        @Override
        public String toString() {
            return "EndpointResponse[id=" + id + ", url=" + url + "]";
        }
    }

    record DeliveryResponse(String id, String endpointId, String eventId, String eventType, String accountId,
            String status, int attempts, @Nullable Instant nextAttemptAt, @Nullable Instant lastAttemptAt,
            @Nullable Integer lastHttpStatus, @Nullable String lastError, @Nullable Instant completedAt,
            Instant createdAt) {

        static DeliveryResponse of(WebhookDelivery delivery) {
            return new DeliveryResponse(delivery.publicId(), delivery.endpointId(),
                    Event.ID_PREFIX + delivery.eventId(), delivery.eventType(), delivery.accountId(),
                    delivery.status().wireName(), delivery.attempts(), delivery.nextAttemptAt(),
                    delivery.lastAttemptAt(), delivery.lastHttpStatus(), delivery.lastError(), delivery.completedAt(),
                    delivery.createdAt());
        }
    }

    @PostMapping("/v1/webhook-endpoints")
    ResponseEntity<EndpointResponse> create(@RequestBody @Valid CreateEndpointRequest request) {
        var created = endpoints.create(request.url(), request.eventTypes(), request.description());
        return ResponseEntity.status(HttpStatus.CREATED).body(EndpointResponse.of(created, true));
    }

    @GetMapping("/v1/webhook-endpoints")
    Page<EndpointResponse> list(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        int size = Page.size(limit);
        var found = endpoints.list(cursor == null ? "" : cursor, size + 1);
        return Page.of(found.stream().map(endpoint -> EndpointResponse.of(endpoint, false)).toList(), size,
                EndpointResponse::id);
    }

    @GetMapping("/v1/webhook-endpoints/{id}")
    EndpointResponse get(@PathVariable String id) {
        return EndpointResponse.of(endpoints.find(id).orElseThrow(() -> endpointNotFound(id)), false);
    }

    @DeleteMapping("/v1/webhook-endpoints/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        if (!endpoints.delete(id)) {
            throw endpointNotFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/v1/webhook-endpoints/{id}/deliveries")
    Page<DeliveryResponse> deliveries(@PathVariable String id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String cursor) {
        endpoints.find(id).orElseThrow(() -> endpointNotFound(id));
        int size = Page.size(limit);
        long before = cursor == null ? Long.MAX_VALUE : deliveryId(cursor, "cursor");
        var found = endpoints.deliveries(id, before, status == null ? null : status(status), size + 1);
        return Page.of(found.stream().map(DeliveryResponse::of).toList(), size, DeliveryResponse::id);
    }

    @PostMapping("/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/retry")
    DeliveryResponse retry(@PathVariable String id, @PathVariable String deliveryId) {
        endpoints.find(id).orElseThrow(() -> endpointNotFound(id));
        long delivery = deliveryId(deliveryId, "delivery_id");
        if (endpoints.delivery(id, delivery).isEmpty()) {
            throw new ProblemException(EventProblem.WEBHOOK_DELIVERY_NOT_FOUND,
                    "No delivery " + deliveryId + " for endpoint " + id + ".");
        }
        return endpoints.retry(id, delivery)
                .map(DeliveryResponse::of)
                .orElseThrow(() -> new ProblemException(EventProblem.WEBHOOK_DELIVERY_NOT_FAILED,
                        "Delivery " + deliveryId + " has not failed; only failed deliveries are retried."));
    }

    private static ProblemException endpointNotFound(String id) {
        return new ProblemException(EventProblem.WEBHOOK_ENDPOINT_NOT_FOUND, "No webhook endpoint with id " + id + ".");
    }

    private static long deliveryId(String value, String field) {
        String digits = value.startsWith(WebhookDelivery.ID_PREFIX)
                ? value.substring(WebhookDelivery.ID_PREFIX.length()) : value;
        try {
            long id = Long.parseLong(digits);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Reported below like any other malformed id.
        }
        throw new ProblemException(PlatformProblem.INVALID_PARAMETER,
                field + " must be a delivery id like " + WebhookDelivery.ID_PREFIX + "123.", Map.of("field", field));
    }

    private static WebhookDelivery.Status status(String value) {
        for (var status : WebhookDelivery.Status.values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new ProblemException(PlatformProblem.INVALID_PARAMETER,
                "status must be one of pending, succeeded, failed, canceled.", Map.of("field", "status"));
    }
}
