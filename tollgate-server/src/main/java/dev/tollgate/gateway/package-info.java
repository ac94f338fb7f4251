/**
 * The OpenAI- and Anthropic-compatible gateway: authenticates an account's gateway key, sizes and takes a
 * reservation through the ledger's public API, forwards the call upstream with no transaction open, and
 * commits the usage the provider reports (or releases on failure). It owns the gateway keys; it must not
 * decide admission itself or touch another module's tables. Nothing depends on it.
 */
@NullMarked
package dev.tollgate.gateway;

import org.jspecify.annotations.NullMarked;
