package dev.tollgate.console;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.pricing.PriceChange;
import dev.tollgate.pricing.PriceTable;
import dev.tollgate.pricing.PriceUpdate;
import dev.tollgate.pricing.Rates;
import dev.tollgate.pricing.UsdPer1kTokens;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The price catalog: each model's current price, its history, and a new price from an effective time on
 * (older prices are kept; usage is charged at the price in effect when it happened).
 */
@Controller
class PricePages {

    private final PriceTable prices;
    private final ActionFlow flow;
    private final ConsoleActions actions;

    PricePages(PriceTable prices, ActionFlow flow, ConsoleActions actions) {
        this.prices = prices;
        this.flow = flow;
        this.actions = actions;
    }

    /** A price as the page shows it: USD per 1K tokens, exact, and its effective interval. */
    record PriceRow(String provider, String model, String input, String output, String cachedInput,
            String cacheWrite, String cacheWrite1h, String from, String to) {

        static PriceRow of(dev.tollgate.pricing.ModelPrice p) {
            var rates = p.rates();
            return new PriceRow(p.provider(), p.model(), ConsoleRows.per1k(rates.inputMicrosPerMillion()),
                    ConsoleRows.per1k(rates.outputMicrosPerMillion()), ConsoleRows.per1k(rates.cachedInputMicrosPerMillion()),
                    ConsoleRows.per1k(rates.cacheWriteMicrosPerMillion()),
                    ConsoleRows.per1k(rates.cacheWrite1hMicrosPerMillion()),
                    ConsoleRows.when(p.effectiveFrom()), p.effectiveTo() == null ? "open" : ConsoleRows.when(p.effectiveTo()));
        }
    }

    @GetMapping("/console/prices")
    String catalog(@RequestParam(required = false) @Nullable String done, Model model) {
        model.addAttribute("outcome", actions.outcome(done, ConsoleModel.current()).orElse(null));
        model.addAttribute("prices", prices.currentPrices().stream().map(PriceRow::of).toList());
        return "console/prices";
    }

    @GetMapping("/console/prices/{provider}/{model}")
    String history(@PathVariable String provider, @PathVariable String model, Model page) {
        page.addAttribute("provider", provider);
        page.addAttribute("model", model);
        page.addAttribute("history", prices.history(provider, model).stream().map(PriceRow::of).toList());
        return "console/price-history";
    }

    @PostMapping("/console/prices")
    String set(@RequestParam Map<String, String> fields, HttpServletRequest request, HttpServletResponse response,
            Model model) {
        var step = new ActionFlow.Step("price.set", null, "/console/prices", m -> catalog(null, m));
        return flow.submit(step, new ConsoleForm("price", fields, "provider", "model", "input_per_1k_usd",
                "output_per_1k_usd", "cached_input_per_1k_usd", "cache_write_per_1k_usd", "cache_write_1h_per_1k_usd", "effective_from"),
                form -> {
            var change = change(form);
            return new ActionFlow.Prepared(List.of("New price of " + change.provider() + "/" + change.model() + ": "
                    + ConsoleRows.per1k(change.rates().inputMicrosPerMillion()) + " input, "
                    + ConsoleRows.per1k(change.rates().outputMicrosPerMillion()) + " output per 1K tokens, from "
                    + (change.effectiveFrom() == null ? "now" : ConsoleRows.when(change.effectiveFrom()) + " UTC") + "."),
                    () -> switch (prices.set(change)) {
                        case PriceUpdate.Applied applied -> ConsoleActions.Done.of(applied.changed()
                                ? "Price of " + change.provider() + "/" + change.model() + " set."
                                : "The price was already this; nothing changed.");
                        case PriceUpdate.Rejected rejected -> throw new ProblemException(rejected.problem(),
                                rejected.detail(), Map.of("field", "effective_from"));
                    });
        }, request, response, model);
    }

    private static PriceChange change(ConsoleForm form) {
        String provider = form.required("provider");
        String model = form.required("model");
        long input = per1k(form, "input_per_1k_usd", true);
        long output = per1k(form, "output_per_1k_usd", true);
        long cached = form.text("cached_input_per_1k_usd") == null ? input : per1k(form, "cached_input_per_1k_usd", false);
        long cacheWrite = form.text("cache_write_per_1k_usd") == null ? input
                : per1k(form, "cache_write_per_1k_usd", false);
        long cacheWrite1h = form.text("cache_write_1h_per_1k_usd") == null ? cacheWrite
                : per1k(form, "cache_write_1h_per_1k_usd", false);
        Instant from = effectiveFrom(form.text("effective_from"));
        try {
            return new PriceChange(provider, model, new Rates(input, output, cached, cacheWrite, cacheWrite1h), from);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            throw Validation.invalid(message.contains("provider") ? "provider" : message.contains("effective")
                    ? "effective_from" : "model", message);
        }
    }

    private static long per1k(ConsoleForm form, String field, boolean required) {
        String text = required ? form.required(field) : form.text(field);
        try {
            return UsdPer1kTokens.toMicrosPerMillion(new BigDecimal(String.valueOf(text)));
        } catch (NumberFormatException e) {
            throw Validation.invalid(field, "must be a decimal amount of USD per 1K tokens like 0.0025");
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw Validation.invalid(field, String.valueOf(e.getMessage()));
        }
    }

    /** A datetime-local field ("2026-12-01T00:00"), read as UTC; empty means now. */
    private static @Nullable Instant effectiveFrom(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw Validation.invalid("effective_from", "must be a UTC time like 2026-12-01T00:00");
        }
    }
}
