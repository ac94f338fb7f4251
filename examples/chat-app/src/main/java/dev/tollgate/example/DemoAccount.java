package dev.tollgate.example;

import dev.tollgate.client.NewAccount;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.client.TollgateProblemException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the demo user on the trial plan with a small allowance, so the fourth message is denied and
 * the denial's message shows within a minute of starting.
 */
@Component
class DemoAccount implements ApplicationRunner {

    private final TollgateClient tollgate;
    private final String user;
    private final long tokens;

    DemoAccount(TollgateClient tollgate, @Value("${example.demo.user:demo}") String user,
            @Value("${example.demo.tokens:2000}") long tokens) {
        this.tollgate = tollgate;
        this.user = user;
        this.tokens = tokens;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            tollgate.createAccount(NewAccount.of(user, "trial"));
            tollgate.setAllowance(user, tokens);
        } catch (TollgateProblemException exists) {
            if (!exists.code().equals("account_exists")) {
                throw exists;
            }
        }
    }
}
