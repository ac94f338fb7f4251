package dev.tollgate.console;

import dev.tollgate.platform.security.Role;

/**
 * The operator behind a console request: the service key that signed in, by id and by name (the name is
 * the {@code actor} of everything they do), and its role, {@code ADMIN} or {@code READ}.
 */
record ConsoleUser(String keyId, String keyName, Role role) {

    public boolean mayAct() {
        return role == Role.ADMIN;
    }
}
