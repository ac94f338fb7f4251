package dev.tollgate.client;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Tollgate's /v1 API for a host application's backend. Thread-safe: build one per application and
 * share it. Every call that moves value carries an Idempotency-Key that is reused on its retries;
 * problems become {@link TollgateProblemException}s, denials {@link DenialException}s with a
 * {@link DenialReason}.
 *
 * <pre>{@code
 * TollgateClient tollgate = TollgateClient.builder()
 *         .baseUrl("http://localhost:8080")
 *         .apiKey(System.getenv("TOLLGATE_API_KEY"))
 *         .build();
 * }</pre>
 */
public final class TollgateClient implements AutoCloseable {

    /** Tollgate's largest page. */
    static final int PAGE_SIZE_MAX = 200;

    private final Transport transport;
    private final Backlog backlog;
    private final DecisionListener listener;
    private final Clock clock;
    private final String pageLimit;

    private TollgateClient(Builder builder) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.transport = new Transport(http, builder.baseUrl, builder.apiKey, builder.requestTimeout, builder.retry);
        this.backlog = new Backlog(builder.failOpen, transport);
        this.listener = builder.listener;
        this.clock = builder.clock;
        this.pageLimit = "?limit=" + builder.pageSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- accounts ----------------------------------------------------------------------------------

    /** Creates an account; an existing id is a {@link TollgateProblemException} with code {@code account_exists}. */
    public AccountSummary createAccount(NewAccount account) {
        return Json.read(transport.post("/v1/accounts", account), AccountSummary.class);
    }

    /** Backfills accounts (up to 10,000 per call); ids that exist already are left as they are. */
    public BatchResult createAccounts(List<NewAccount> accounts) {
        return Json.read(transport.post("/v1/accounts/batch", Map.of("accounts", accounts)), BatchResult.class);
    }

    public AccountSummary account(String accountId) {
        return Json.read(transport.get(accountPath(accountId)), AccountSummary.class);
    }

    /**
     * Every account, or those whose id or email matches {@code query} and that are on {@code plan}
     * (either may be null), every page.
     */
    public Iterable<AccountItem> accounts(String query, String plan) {
        String filter = (query == null ? "" : "&q=" + Paths.segment(query))
                + (plan == null ? "" : "&plan=" + Paths.segment(plan));
        return new Pages<>(cursor -> Json.page(transport.get("/v1/accounts" + pageLimit + filter
                + cursorParameter(cursor)), AccountItem.class));
    }

    /** Overrides the plan's token allowance for this account; {@code null} goes back to the plan's. */
    public AccountSummary setAllowance(String accountId, Long tokensPerPeriod) {
        var body = Json.MAPPER.createObjectNode();
        if (tokensPerPeriod == null) {
            body.putNull("tokens_per_period");
        } else {
            body.put("tokens_per_period", tokensPerPeriod);
        }
        return Json.read(transport.put(accountPath(accountId) + "/allowance", body), AccountSummary.class);
    }

    /** Moves the account to another plan; a new period starts now. */
    public AccountSummary changePlan(String accountId, String plan, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("plan", Objects.requireNonNull(plan, "plan"));
        if (reason != null) {
            body.put("reason", reason);
        }
        return Json.read(transport.postOnce(accountPath(accountId) + "/plan", body), AccountSummary.class);
    }

    /** Posts a credit transaction (seed 001); a deduct below zero is refused with {@code insufficient_credits}. */
    public LedgerEntry adjustCredits(String accountId, CreditType type, long amount, String description,
            Map<String, Object> metadata) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("amount", amount);
        body.put("description", description);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return Json.read(transport.post(accountPath(accountId) + "/credits", body), LedgerEntry.class);
    }

    /** Adds money to the prepaid balance; {@code reference} (a payment id) makes a repeated top-up count once. */
    public LedgerEntry topUp(String accountId, BigDecimal amountUsd, String reference) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount_usd", amountUsd.toPlainString());
        if (reference != null) {
            body.put("reference", reference);
        }
        return Json.read(transport.post(accountPath(accountId) + "/top-ups", body), LedgerEntry.class);
    }

    // ---- reservations and usage ------------------------------------------------------------------------

    /**
     * Asks before a model call. Approved: a {@link Reservation} to commit or release (or close).
     *
     * @throws DenialException when the account may not spend this; its message is the one to show the user
     * @throws TollgateUnavailableException when Tollgate cannot be reached and fail-open has no room
     */
    public Reservation reserve(ReserveRequest request) {
        long started = System.nanoTime();
        try {
            var details = Json.read(transport.post("/v1/reservations", request), ReservationDetails.class);
            listener.approved(request, details, false, since(started));
            return new Reservation(details, request, transport, backlog, false);
        } catch (TollgateProblemException problem) {
            var reason = DenialReason.of(problem.problem());
            if (reason.isEmpty()) {
                listener.failed(request, problem, since(started));
                throw problem;
            }
            var denied = new DenialException(problem.problem(), reason.get());
            listener.denied(request, denied.reason(), since(started));
            throw denied;
        } catch (TollgateUnavailableException unreachable) {
            long tokens = request.estimatedTokens();
            if (backlog.tryHold(tokens)) {
                var details = provisional(request);
                listener.approved(request, details, true, since(started));
                return new Reservation(details, request, transport, backlog, true);
            }
            listener.failed(request, unreachable, since(started));
            throw unreachable;
        }
    }

    public ReservationDetails reservation(String reservationId) {
        return Json.read(transport.get("/v1/reservations/" + Paths.segment(reservationId)), ReservationDetails.class);
    }

    /** Records usage that had no reservation; it is charged like a commit. */
    public UsageRecord recordUsage(UsageRequest usage) {
        return Json.read(transport.post("/v1/usage", usage), UsageRecord.class);
    }

    /** Fail-open usage still waiting to reach Tollgate. */
    public int pendingUsage() {
        return backlog.size();
    }

    /** Sends fail-open usage now instead of at the next scheduled try; returns how many left the queue. */
    public int flushPendingUsage() {
        return backlog.flush();
    }

    // ---- reads --------------------------------------------------------------------------------------

    /** The account's ledger, newest first, every page. */
    public Iterable<LedgerEntry> ledger(String accountId) {
        return ledger(accountId, null);
    }

    /** @param meter {@code tokens}, {@code conversations}, {@code credits} or {@code balance}; null for all */
    public Iterable<LedgerEntry> ledger(String accountId, String meter) {
        String filter = meter == null ? "" : "&meter=" + Paths.segment(meter);
        return new Pages<>(cursor -> Json.page(transport.get(accountPath(accountId) + "/ledger" + pageLimit + filter
                + cursorParameter(cursor)), LedgerEntry.class));
    }

    /** The account's usage records, newest first, every page. */
    public Iterable<UsageRecord> usage(String accountId) {
        return new Pages<>(cursor -> Json.page(transport.get(accountPath(accountId) + "/usage" + pageLimit
                + cursorParameter(cursor)), UsageRecord.class));
    }

    /** The account's events, oldest first, every page. */
    public Iterable<Event> events(String accountId) {
        return new Pages<>(cursor -> Json.page(transport.get(accountPath(accountId) + "/events" + pageLimit
                + (cursor == null ? "" : "&after=" + Paths.segment(cursor))), Event.class));
    }

    /**
     * A local copy of the account's summary kept current from its event stream (an admin key may
     * stream), else re-read when older than {@code maxAge}. Close it to stop its reader thread.
     */
    public LiveSummary liveSummary(String accountId, Duration maxAge) {
        return new LiveSummary(this, transport, accountId, maxAge, clock);
    }

    // ---- catalog -------------------------------------------------------------------------------------

    public List<Plan> plans() {
        return Json.data(transport.get("/v1/plans"), Plan.class);
    }

    /** Creates or updates a plan; accounts on it see the change at their next request. */
    public Plan setPlan(Plan plan) {
        return Json.read(transport.put("/v1/plans/" + Paths.segment(plan.code()), plan), Plan.class);
    }

    public List<Price> prices() {
        return Json.data(transport.get("/v1/prices"), Price.class);
    }

    public Price setPrice(String provider, String model, PriceChange change) {
        return Json.read(transport.put("/v1/prices/" + Paths.segment(provider) + "/" + Paths.segment(model), change),
                Price.class);
    }

    // ---- end-user pages and gateway keys -------------------------------------------------------------

    /** A single-use link to the account's billing page. */
    public PortalSession createPortalSession(String accountId, String returnUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account_id", accountId);
        if (returnUrl != null) {
            body.put("return_url", returnUrl);
        }
        return Json.read(transport.postOnce("/v1/portal-sessions", body), PortalSession.class);
    }

    /** A virtual key for the gateway; its secret is in this answer only. */
    public GatewayKey createGatewayKey(String accountId, String name, Instant expiresAt, List<String> models) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) {
            body.put("name", name);
        }
        if (expiresAt != null) {
            body.put("expires_at", expiresAt);
        }
        if (models != null) {
            body.put("models", models);
        }
        return Json.read(transport.postOnce(accountPath(accountId) + "/gateway-keys", body), GatewayKey.class);
    }

    public List<GatewayKey> gatewayKeys(String accountId) {
        return Json.data(transport.get(accountPath(accountId) + "/gateway-keys"), GatewayKey.class);
    }

    public void deleteGatewayKey(String accountId, String keyId) {
        transport.delete(accountPath(accountId) + "/gateway-keys/" + Paths.segment(keyId));
    }

    // ---- operations ------------------------------------------------------------------------------------

    /** True when Tollgate answers its health check; for health indicators, so it never throws. */
    public boolean healthy() {
        try {
            transport.get("/actuator/health");
            return true;
        } catch (TollgateException down) {
            return false;
        }
    }

    /** Stops the fail-open flusher; usage still queued is lost with the process, so flush before. */
    @Override
    public void close() {
        backlog.close();
    }

    private static String accountPath(String accountId) {
        return "/v1/accounts/" + Paths.segment(Objects.requireNonNull(accountId, "accountId"));
    }

    private static String cursorParameter(String cursor) {
        return cursor == null ? "" : "&cursor=" + Paths.segment(cursor);
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private ReservationDetails provisional(ReserveRequest request) {
        long output = request.maxOutputTokens() != null ? request.maxOutputTokens()
                : ReserveRequest.DEFAULT_OUTPUT_TOKENS;
        Instant now = clock.instant();
        return new ReservationDetails("local_" + UUID.randomUUID(), request.accountId(), "pending",
                request.provider(), request.model(), Boolean.TRUE.equals(request.byok()),
                new Amounts(request.estimatedTokens(), null, 0, BigDecimal.ZERO), null, List.of(),
                request.estimatedTokens() - output, output, request.jobType(), request.jobId(),
                request.conversationId(), request.metadata(), now, null, null, null);
    }

    /** Configures a {@link TollgateClient}; base URL and API key are required. */
    public static final class Builder {
        private URI baseUrl;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private FailOpen failOpen = FailOpen.CLOSED;
        private DecisionListener listener = DecisionListener.NONE;
        private Clock clock = Clock.systemUTC();
        private int pageSize = PAGE_SIZE_MAX;

        private Builder() {}

        public Builder baseUrl(String url) {
            return baseUrl(URI.create(url));
        }

        public Builder baseUrl(URI url) {
            this.baseUrl = url;
            return this;
        }

        /** A service key ({@code tg_...}); an admin key for admin calls and live summaries. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long one try may wait for its answer; a hung Tollgate must not hang the host app's request. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder retry(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder failOpen(FailOpen policy) {
            this.failOpen = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder listener(DecisionListener decisionListener) {
            this.listener = Objects.requireNonNull(decisionListener, "decisionListener");
            return this;
        }

        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /** Items per page when iterating lists; Tollgate's maximum (200) by default, so lists take the fewest calls. */
        public Builder pageSize(int items) {
            if (items < 1 || items > PAGE_SIZE_MAX) {
                throw new IllegalArgumentException("pageSize must be 1 to " + PAGE_SIZE_MAX + ", was " + items);
            }
            this.pageSize = items;
            return this;
        }

        public TollgateClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required, e.g. http://localhost:8080");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("apiKey is required (a Tollgate service key, tg_...)");
            }
            return new TollgateClient(this);
        }
    }
}
