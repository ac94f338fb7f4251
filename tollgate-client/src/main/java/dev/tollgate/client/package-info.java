/**
 * The Java client of Tollgate's /v1 API. {@link dev.tollgate.client.TollgateClient} is the entry point:
 * one thread-safe instance per application, built with {@link dev.tollgate.client.TollgateClient#builder()}.
 */
package dev.tollgate.client;
