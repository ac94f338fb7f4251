package dev.tollgate.pricing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tollgate.platform.Page;
import dev.tollgate.platform.PlatformProblem;
import dev.tollgate.platform.ProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class PricingApi {

    private final PriceTable prices;

    PricingApi(PriceTable prices) {
        this.prices = prices;
    }

    /**
     * Money arrives as decimal strings; JSON numbers are accepted too, because Jackson reads them into
     * BigDecimal from their text, exactly. Never a double.
     */
    record PriceRequest(
            @JsonProperty("input_per_1k_usd") @Nullable BigDecimal inputPer1kUsd,
            @JsonProperty("output_per_1k_usd") @Nullable BigDecimal outputPer1kUsd,
            @JsonProperty("cached_input_per_1k_usd") @Nullable BigDecimal cachedInputPer1kUsd,
            @JsonProperty("cache_write_per_1k_usd") @Nullable BigDecimal cacheWritePer1kUsd,
            @JsonProperty("cache_write_1h_per_1k_usd") @Nullable BigDecimal cacheWrite1hPer1kUsd,
            @Nullable Instant effectiveFrom) {}

    record PriceResponse(
            String provider,
            String model,
            @JsonProperty("input_per_1k_usd") String inputPer1kUsd,
            @JsonProperty("output_per_1k_usd") String outputPer1kUsd,
            @JsonProperty("cached_input_per_1k_usd") String cachedInputPer1kUsd,
            @JsonProperty("cache_write_per_1k_usd") String cacheWritePer1kUsd,
            @JsonProperty("cache_write_1h_per_1k_usd") String cacheWrite1hPer1kUsd,
            Instant effectiveFrom,
            @Nullable Instant effectiveTo) {

        static PriceResponse of(ModelPrice price) {
            Rates rates = price.rates();
            return new PriceResponse(price.provider(), price.model(),
                    UsdPer1kTokens.format(rates.inputMicrosPerMillion()),
                    UsdPer1kTokens.format(rates.outputMicrosPerMillion()),
                    UsdPer1kTokens.format(rates.cachedInputMicrosPerMillion()),
                    UsdPer1kTokens.format(rates.cacheWriteMicrosPerMillion()),
                    UsdPer1kTokens.format(rates.cacheWrite1hMicrosPerMillion()), price.effectiveFrom(),
                    price.effectiveTo());
        }
    }

    @GetMapping("/v1/prices")
    Page<PriceResponse> current() {
        return new Page<>(prices.currentPrices().stream().map(PriceResponse::of).toList(), null);
    }

    @PutMapping("/v1/prices/{provider}/{model}")
    PriceResponse put(@PathVariable String provider, @PathVariable String model, @RequestBody PriceRequest request) {
        return switch (prices.set(change(provider, model, request))) {
            case PriceUpdate.Applied applied -> PriceResponse.of(applied.price());
            case PriceUpdate.Rejected(PricingProblem problem, String detail) -> throw new ProblemException(problem, detail);
        };
    }

    @GetMapping("/v1/prices/{provider}/{model}/history")
    Page<PriceResponse> history(@PathVariable String provider, @PathVariable String model) {
        var errors = new FieldErrors();
        String checkedProvider = errors.check("provider", () -> ModelNames.provider(provider));
        String checkedModel = errors.check("model", () -> ModelNames.model(model));
        errors.throwIfAny();
        List<ModelPrice> history = prices.history(provider, model);
        if (history.isEmpty()) {
            throw new ProblemException(PricingProblem.UNKNOWN_MODEL,
                    "No price has ever been set for " + checkedProvider + "/" + checkedModel + ".");
        }
        return new Page<>(history.stream().map(PriceResponse::of).toList(), null);
    }

    /** Checks every field and reports all that are wrong at once, each by its JSON name. */
    private static PriceChange change(String provider, String model, PriceRequest request) {
        var errors = new FieldErrors();
        String checkedProvider = errors.check("provider", () -> ModelNames.provider(provider));
        String checkedModel = errors.check("model", () -> ModelNames.model(model));
        Long input = errors.check("input_per_1k_usd", () -> required(request.inputPer1kUsd()));
        Long output = errors.check("output_per_1k_usd", () -> required(request.outputPer1kUsd()));
        // Without a published cache-read price, cached input costs what input costs.
        Long cachedInput = request.cachedInputPer1kUsd() == null ? input
                : errors.check("cached_input_per_1k_usd",
                        () -> UsdPer1kTokens.toMicrosPerMillion(request.cachedInputPer1kUsd()));
        // Likewise a prompt-cache write (Anthropic charges 1.25 times input for it: give that price).
        Long cacheWrite = request.cacheWritePer1kUsd() == null ? input
                : errors.check("cache_write_per_1k_usd",
                        () -> UsdPer1kTokens.toMicrosPerMillion(request.cacheWritePer1kUsd()));
        // And a one-hour write, which Anthropic charges at 2 times input, costs a write unless priced apart.
        Long cacheWrite1h = request.cacheWrite1hPer1kUsd() == null ? cacheWrite
                : errors.check("cache_write_1h_per_1k_usd",
                        () -> UsdPer1kTokens.toMicrosPerMillion(request.cacheWrite1hPer1kUsd()));
        Instant effectiveFrom = request.effectiveFrom();
        if (effectiveFrom != null) {
            errors.check("effective_from", () -> {
                PriceChange.requireEffectiveFrom(effectiveFrom);
                return effectiveFrom;
            });
        }
        errors.throwIfAny();
        return new PriceChange(checkedProvider, checkedModel,
                new Rates(input, output, cachedInput, cacheWrite, cacheWrite1h), effectiveFrom);
    }

    private static long required(@Nullable BigDecimal usdPer1k) {
        if (usdPer1k == null) {
            throw new IllegalArgumentException("is required");
        }
        return UsdPer1kTokens.toMicrosPerMillion(usdPer1k);
    }

    /** Collects the rule each field breaks, in the shape of the platform's validation problems. */
    private static final class FieldErrors {
        private final List<Map<String, String>> errors = new ArrayList<>();

        /** The checked value, or null (with the error recorded) when it breaks a rule. */
        <T> @Nullable T check(String field, Supplier<T> value) {
            try {
                return value.get();
            } catch (IllegalArgumentException e) {
                errors.add(Map.of("field", field, "message", String.valueOf(e.getMessage())));
                return null;
            }
        }

        void throwIfAny() {
            if (errors.isEmpty()) {
                return;
            }
            String detail = errors.stream()
                    .map(error -> error.get("field") + ": " + error.get("message"))
                    .collect(Collectors.joining("; "));
            Map<String, Object> properties = errors.size() == 1
                    ? Map.of("errors", errors, "field", errors.getFirst().get("field"))
                    : Map.of("errors", errors);
            throw new ProblemException(PlatformProblem.VALIDATION_FAILED, detail, properties);
        }
    }
}
