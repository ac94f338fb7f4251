package dev.tollgate.account;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An account to create; without a plan it starts on the configured signup plan. */
public record NewAccount(String id, @Nullable String plan, @Nullable String email, Map<String, Object> metadata) {

    public NewAccount {
        metadata = Map.copyOf(metadata);
    }
}
