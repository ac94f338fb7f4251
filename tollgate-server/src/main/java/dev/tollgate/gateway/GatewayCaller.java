package dev.tollgate.gateway;

import java.util.List;
import java.util.Objects;

/**
 * Who pays for a proxied call: the account, the credential that named it (a gateway key, or a service key
 * with {@code X-Tollgate-Account}) and the models that credential may call (empty: any).
 */
record GatewayCaller(String accountId, String actor, List<String> models) {

    static final String ATTRIBUTE = GatewayCaller.class.getName();

    GatewayCaller {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(actor, "actor");
        models = List.copyOf(models);
    }

    boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
