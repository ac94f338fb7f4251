package dev.tollgate.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable in-memory copy of the whole catalog, answering "what did this model cost at t?". */
final class PriceCatalog {

    private static final Comparator<ModelPrice> NEWEST_FIRST =
            Comparator.comparing(ModelPrice::effectiveFrom).reversed();

    /** provider → model → prices newest first. */
    private final Map<String, Map<String, List<ModelPrice>>> prices;

    private PriceCatalog(Map<String, Map<String, List<ModelPrice>>> prices) {
        this.prices = prices;
    }

    static PriceCatalog of(List<ModelPrice> all) {
        Map<String, Map<String, List<ModelPrice>>> byProvider = new HashMap<>();
        for (ModelPrice price : all) {
            byProvider.computeIfAbsent(price.provider(), provider -> new HashMap<>())
                    .computeIfAbsent(price.model(), model -> new ArrayList<>())
                    .add(price);
        }
        Map<String, Map<String, List<ModelPrice>>> frozen = new HashMap<>();
        byProvider.forEach((provider, models) -> {
            Map<String, List<ModelPrice>> sorted = new HashMap<>();
            models.forEach((model, history) -> sorted.put(model, history.stream().sorted(NEWEST_FIRST).toList()));
            frozen.put(provider, Map.copyOf(sorted));
        });
        return new PriceCatalog(Map.copyOf(frozen));
    }

    /**
     * The price at {@code at} of the catalog model that {@code model} names: the model itself or else the
     * longest catalog model followed by '-' that it starts with, so that dated and suffixed ids
     * ("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929") find their family. Once a catalog model
     * matches, its own history decides: a model priced only from tomorrow has no price today, even if a
     * shorter name would.
     */
    Optional<ModelPrice> priceAt(String provider, String model, Instant at) {
        Map<String, List<ModelPrice>> models = prices.get(provider);
        if (models == null) {
            return Optional.empty();
        }
        String candidate = model;
        while (true) {
            List<ModelPrice> history = models.get(candidate);
            if (history != null) {
                return history.stream().filter(price -> price.isEffectiveAt(at)).findFirst();
            }
            int dash = candidate.lastIndexOf('-');
            if (dash <= 0) {
                return Optional.empty();
            }
            candidate = candidate.substring(0, dash);
        }
    }

    /** The price in effect at {@code at} of every model that has one, by provider and model. */
    List<ModelPrice> pricesAt(Instant at) {
        return prices.values().stream()
                .flatMap(models -> models.values().stream())
                .flatMap(history -> history.stream().filter(price -> price.isEffectiveAt(at)).limit(1))
                .sorted(Comparator.comparing(ModelPrice::provider).thenComparing(ModelPrice::model))
                .toList();
    }
}
