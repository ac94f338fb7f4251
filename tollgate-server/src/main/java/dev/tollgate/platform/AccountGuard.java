package dev.tollgate.platform;

import dev.tollgate.platform.security.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Answers "may this caller see this account?". An end user asking for someone else's account gets
 * exactly the same 404 as for an account that does not exist, so ids cannot be probed.
 */
@Component
public class AccountGuard {

    private final KnownAccounts accounts;

    AccountGuard(KnownAccounts accounts) {
        this.accounts = accounts;
    }

    public void requireReadable(Caller caller, String accountId) {
        if (!caller.mayRead(accountId) || !accounts.exists(accountId)) {
            throw notFound(accountId);
        }
    }

    public static ProblemException notFound(String accountId) {
        return new ProblemException(AccountNotFound.INSTANCE, "No account with id '" + accountId + "'.");
    }

    /** {@code account_not_found}: shared by every module that looks an account up. */
    public enum AccountNotFound implements ProblemType {
        INSTANCE;

        private static final Definition DEFINITION =
                new Definition("account_not_found", "Account not found", HttpStatus.NOT_FOUND);

        @Override
        public Definition definition() {
            return DEFINITION;
        }
    }
}
