/**
 * The admin console: server-rendered pages where an operator signed in with an admin or read key sees
 * every account, meter, ledger, plan, price, webhook and key, and acts on them through the same module APIs
 * the /v1 endpoints call. It owns only its sessions and its action log; it never writes a meter itself, and
 * nothing depends on it.
 */
@NullMarked
package dev.tollgate.console;

import org.jspecify.annotations.NullMarked;
