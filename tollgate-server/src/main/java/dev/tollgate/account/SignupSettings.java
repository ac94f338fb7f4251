package dev.tollgate.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** What every new account gets, exactly once: a plan, credits and a prepaid balance. */
@ConfigurationProperties("tollgate.signup")
public record SignupSettings(String plan, long credits, String balanceUsd) {

    long balanceMicros() {
        return dev.tollgate.shared.Money.parseMicros(balanceUsd);
    }
}
