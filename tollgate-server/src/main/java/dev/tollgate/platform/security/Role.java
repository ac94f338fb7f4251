package dev.tollgate.platform.security;

import java.util.Locale;

/** What a caller may do. Service keys carry one of the first three; end users are always {@link #USER}. */
public enum Role {
    /** Everything, including configuration and moving value by hand. */
    ADMIN,
    /** The host app's backend: accounts, reservations, usage, top-ups. */
    SERVICE,
    /** Dashboards and reports: reads everything, moves nothing. */
    READ,
    /** One end user of the host app, holding a JWT: reads only their own account. */
    USER;

    public String authority() {
        return "ROLE_" + name();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role ofKeyRole(String value) {
        return switch (value) {
            case "admin" -> ADMIN;
            case "service" -> SERVICE;
            case "read" -> READ;
            default -> throw new IllegalArgumentException("role must be one of admin, service, read");
        };
    }
}
