package dev.tollgate.billing;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tollgate.billing.*}: where Upgrade and Top up lead when Stripe is not configured (the host
 * app's own page; unset hides the buttons), and the amounts a top-up offers, in whole US dollars.
 */
@ConfigurationProperties("tollgate.billing")
record CheckoutProperties(@Nullable String upgradeUrl, @DefaultValue({"10", "25", "50"}) List<Integer> topUpAmountsUsd) {

    static final int TOP_UP_MAX_USD = 10_000;

    CheckoutProperties {
        upgradeUrl = upgradeUrl == null || upgradeUrl.isBlank() ? null : upgradeUrl.strip();
        topUpAmountsUsd = List.copyOf(topUpAmountsUsd);
        for (int amount : topUpAmountsUsd) {
            if (amount <= 0 || amount > TOP_UP_MAX_USD) {
                throw new IllegalArgumentException("tollgate.billing.top-up-amounts-usd must be between 1 and "
                        + TOP_UP_MAX_USD + ", was " + amount);
            }
        }
    }
}
