package dev.tollgate.platform;

/**
 * The port through which capabilities that do not own accounts ask whether one exists. The account
 * module implements it; it lives here so that modules below the account module need not depend on it.
 */
public interface KnownAccounts {

    boolean exists(String accountId);

    /**
     * Creates the account with the signup defaults if it does not exist (auto-create on first
     * reservation). Returns true when the account exists afterwards.
     */
    boolean openIfMissing(String accountId);
}
