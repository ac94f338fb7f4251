package dev.tollgate.account;

import dev.tollgate.platform.KnownAccounts;
import org.springframework.stereotype.Service;

/** The accounts of the host app's end users. */
@Service
public class Accounts implements KnownAccounts {

    private final AccountStore store;

    Accounts(AccountStore store) {
        this.store = store;
    }

    @Override
    public boolean exists(String accountId) {
        return store.exists(accountId);
    }
}
