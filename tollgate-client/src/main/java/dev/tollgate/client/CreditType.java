package dev.tollgate.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of credit transaction an admin may post (seed 001). */
public enum CreditType {
    @JsonProperty("add")
    ADD,
    @JsonProperty("deduct")
    DEDUCT,
    @JsonProperty("refund")
    REFUND,
    /** The only kind whose amount may be negative. */
    @JsonProperty("admin_adjustment")
    ADMIN_ADJUSTMENT
}
