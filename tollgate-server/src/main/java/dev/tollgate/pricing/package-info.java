/**
 * Pricing: the catalog of model prices per (provider, model) with effective intervals, the cost of a
 * request in micro-USD, and token estimates for requests not yet sent. It records no usage and
 * decides no budget question: the ledger asks it what a request costs.
 */
@NullMarked
package dev.tollgate.pricing;

import org.jspecify.annotations.NullMarked;
