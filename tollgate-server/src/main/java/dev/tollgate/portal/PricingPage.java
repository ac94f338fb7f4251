package dev.tollgate.portal;

import dev.tollgate.plan.Plan;
import dev.tollgate.plan.Plans;
import dev.tollgate.shared.Money;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The public pricing table (every plan marked public, in sort order) and the brand stylesheet. */
@Controller
class PricingPage {

    /** One column of the table. */
    record Tier(String code, String name, String priceUsd, String period, int trialDays, @Nullable Long tokensPerPeriod,
            @Nullable Long conversationsPerPeriod, long creditsPerRequest, boolean chargesBalance) {

        static Tier of(Plan plan) {
            return new Tier(plan.code(), plan.name(), Money.display(plan.priceMicros()), BillingViews.periodName(plan),
                    plan.trialDays(), plan.tokensPerPeriod(), plan.conversationsPerPeriod(), plan.creditsPerRequest(),
                    plan.chargesBalance());
        }

        public boolean isTrial() {
            return trialDays > 0;
        }
    }

    private final Plans plans;
    private final PortalProperties properties;

    PricingPage(Plans plans, PortalProperties properties) {
        this.plans = plans;
        this.properties = properties;
    }

    @GetMapping("/pricing")
    String pricing(Model model) {
        model.addAttribute("appName", properties.appName());
        model.addAttribute("logoUrl", properties.logoUrl());
        model.addAttribute("tiers", plans.list().stream().filter(Plan::listed).map(Tier::of).toList());
        return "portal/pricing";
    }

    /** The accent colour as a stylesheet, since the pages' CSP allows no inline style. */
    @GetMapping(value = "/assets/brand.css", produces = "text/css")
    ResponseEntity<String> brand() {
        return ResponseEntity.ok()
                .contentType(MediaType.valueOf("text/css"))
                .cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)))
                .body(":root { --accent: " + properties.accentColor() + "; }\n");
    }
}
