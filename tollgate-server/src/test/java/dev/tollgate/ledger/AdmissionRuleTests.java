package dev.tollgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.IntegrationTest;
import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.pricing.PriceTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;

/**
 * The admission rule as the specification states it ({@link #expected}, a few lines of plain Java)
 * agrees with what the reserve statement decides, on random plans, subscriptions, meters and requests,
 * including every denial code.
 */
class AdmissionRuleTests extends IntegrationTest {

    private static final int TRIES = 1000;
    /** Fixed so that a build never fails by chance; change it locally to explore other states. */
    private static final String SEED = "20261206";
    /** Every outcome the states must reach at least once. */
    private static final List<String> DECISIONS = List.of("approved", "trial_expired", "subscription_inactive",
            "conversation_limit_reached", "limit_exceeded", "insufficient_tokens", "insufficient_credits",
            "insufficient_balance");

    @Autowired
    Ledger ledger;

    @Autowired
    PriceTable prices;

    /** Plans the states draw from: every combination of trial, limits, credits and balance. */
    private final List<PlanShape> plans = new ArrayList<>();

    record PlanShape(String code, boolean trial, @Nullable Long tokens, @Nullable Long conversations,
            long creditsPerRequest, boolean chargesBalance) {}

    enum Conversation { NONE, NEW, SEEN }

    record State(PlanShape plan, String status, @Nullable Duration trialEndsIn, @Nullable Long tokenOverride,
            long tokensUsed, long tokensReserved, long conversationsUsed, long conversationsReserved, long credits,
            long creditsReserved, long balanceMicros, long balanceReservedMicros, long inputTokens,
            long maxOutputTokens, boolean byok, Conversation conversation) {

        @Nullable Long tokenLimit() {
            return tokenOverride != null ? tokenOverride : plan.tokens();
        }
    }

    @BeforeProperty
    void startTollgateAndCreateThePlans() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
        http = new dev.tollgate.Http("http://localhost:" + port, null);
        admin = http.as(ADMIN_KEY);
        sql = JdbcClient.create(dataSource);
        if (!plans.isEmpty()) {
            return;
        }
        String prefix = unique("rule").replaceAll("[^a-z0-9]", "");
        int n = 0;
        for (boolean trial : List.of(false, true)) {
            for (Long tokens : new Long[] {null, 1000L}) {
                for (Long conversations : new Long[] {null, 2L}) {
                    for (long credits : List.of(0L, 1L)) {
                        for (boolean balance : List.of(false, true)) {
                            var shape = new PlanShape(prefix + "-" + n++, trial, tokens, conversations, credits,
                                    balance);
                            var body = new HashMap<String, Object>();
                            body.put("name", "Rule " + shape.code());
                            body.put("price_usd", "0.00");
                            body.put("period", "P1M");
                            body.put("trial_days", trial ? 7 : 0);
                            body.put("tokens_per_period", tokens);
                            body.put("conversations_per_period", conversations);
                            body.put("credits_per_request", credits);
                            body.put("charges_balance", balance);
                            var put = admin.put("/v1/plans/" + shape.code(), body);
                            assertThat(put.status()).as(put.toString()).isIn(200, 201);
                            plans.add(shape);
                        }
                    }
                }
            }
        }
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    @StatisticsReport(onFailureOnly = false)
    void the_reserve_statement_decides_as_the_specification_says(@ForAll("states") State state) {
        Instant now = clock.instant();
        String account = unique("rule");
        var created = admin.post("/v1/accounts", Map.of("id", account, "plan", state.plan().code()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Map<String, Object> meters = meters(account);
        arrange(state, account, now);
        String conversationId = switch (state.conversation()) {
            case NONE -> null;
            case NEW -> "new";
            case SEEN -> "seen";
        };
        var command = new ReserveCommand(account, "openai", "gpt-4o", state.inputTokens(), state.maxOutputTokens(),
                state.byok(), null, null, conversationId, Map.of());
        long cost = prices.priceAt("openai", "gpt-4o", now).orElseThrow()
                .mostCostMicros(state.inputTokens(), state.maxOutputTokens());

        var result = ledger.reserve(command);
        try {
            assertDecision(state, now, cost, result);
        } finally {
            putTheMetersBack(account, meters, result);
        }
    }

    private void assertDecision(State state, Instant now, long cost, ReserveResult result) {
        Statistics.label("decision").coverage(coverage -> {
            for (String decision : DECISIONS) {
                coverage.check(decision).count(count -> count > 0);
            }
        });

        String expected = expected(state, now, cost);
        Statistics.label("decision").collect(expected == null ? "approved" : expected);
        String actual = result instanceof Rejected rejected ? rejected.problem().code() : null;
        assertThat(actual).as(state.toString()).isEqualTo(expected);
        if (result instanceof Reserved reserved && state.tokenLimit() != null) {
            long needed = state.byok() ? 0 : state.inputTokens() + state.maxOutputTokens();
            assertThat(reserved.remaining().tokens()).isEqualTo(Math.max(0,
                    state.tokenLimit() - state.tokensUsed() - state.tokensReserved() - needed));
        }
    }

    /**
     * The specification: the first check that applies wins, in the documented order; null admits.
     * BYOK needs nothing of any platform meter.
     */
    static @Nullable String expected(State s, Instant now, long costMicros) {
        Instant trialEnd = s.trialEndsIn() == null ? null : now.plus(s.trialEndsIn());
        boolean trialOver = trialEnd != null
                && (s.status().equals("expired") || s.status().equals("trialing") && !trialEnd.isAfter(now));
        if (s.plan().trial() && trialOver) {
            return "trial_expired";
        }
        if (!List.of("trialing", "active").contains(s.status()) || trialOver) {
            return "subscription_inactive";
        }
        boolean newConversation = s.conversation() != Conversation.SEEN;
        if (!s.byok() && s.plan().conversations() != null && newConversation
                && s.conversationsUsed() + s.conversationsReserved() + 1 > s.plan().conversations()) {
            return "conversation_limit_reached";
        }
        long tokens = s.byok() ? 0 : s.inputTokens() + s.maxOutputTokens();
        if (tokens > 0 && s.tokenLimit() != null) {
            long remaining = s.tokenLimit() - s.tokensUsed() - s.tokensReserved();
            if (remaining <= 0) {
                return "limit_exceeded";
            }
            if (tokens > remaining) {
                return "insufficient_tokens";
            }
        }
        long credits = s.byok() ? 0 : s.plan().creditsPerRequest();
        if (credits > 0 && s.credits() - s.creditsReserved() < credits) {
            return "insufficient_credits";
        }
        long amount = s.plan().chargesBalance() && !s.byok() ? costMicros : 0;
        if (amount > 0 && s.balanceMicros() - s.balanceReservedMicros() < amount) {
            return "insufficient_balance";
        }
        return null;
    }

    private static final String METERS = "tokens_used, tokens_reserved, conversations_used, conversations_reserved, "
            + "credits, credits_reserved, balance_micros, balance_reserved_micros";

    /** The budget row as the ledger has it, before {@link #arrange} overwrites it. */
    private Map<String, Object> meters(String account) {
        return sql.sql("SELECT " + METERS + " FROM budget WHERE account_id = :account")
                .param("account", account).query().singleRow();
    }

    /**
     * The drawn meters were written past the ledger; the reservation is released and the row put back,
     * so that the suite's reconciliation checks see every account agree with its ledger again.
     */
    private void putTheMetersBack(String account, Map<String, Object> meters, ReserveResult result) {
        if (result instanceof Reserved reserved) {
            ledger.release(reserved.reservation().id(), "test");
        }
        var restore = sql.sql("UPDATE budget SET (" + METERS + ") = (:" + String.join(", :", meters.keySet())
                + ") WHERE account_id = :account").param("account", account);
        for (var column : meters.entrySet()) {
            restore = restore.param(column.getKey(), column.getValue());
        }
        restore.update();
    }

    /** An account in exactly the state drawn, its period current. */
    private void arrange(State s, String account, Instant now) {
        sql.sql("""
                        UPDATE subscription
                           SET status = :status, trial_ends_at = :trialEndsAt,
                               tokens_per_period_override = :override
                         WHERE account_id = :account
                        """)
                .param("status", s.status())
                .param("trialEndsAt", s.trialEndsIn() == null ? null : java.sql.Timestamp.from(now.plus(s.trialEndsIn())))
                .param("override", s.tokenOverride())
                .param("account", account)
                .update();
        sql.sql("""
                        UPDATE budget
                           SET tokens_used = :tokensUsed, tokens_reserved = :tokensReserved,
                               conversations_used = :conversationsUsed,
                               conversations_reserved = :conversationsReserved,
                               credits = :credits, credits_reserved = :creditsReserved,
                               balance_micros = :balance, balance_reserved_micros = :balanceReserved
                         WHERE account_id = :account
                        """)
                .param("tokensUsed", s.tokensUsed())
                .param("tokensReserved", s.tokensReserved())
                .param("conversationsUsed", s.conversationsUsed())
                .param("conversationsReserved", s.conversationsReserved())
                .param("credits", s.credits())
                .param("creditsReserved", s.creditsReserved())
                .param("balance", s.balanceMicros())
                .param("balanceReserved", s.balanceReservedMicros())
                .param("account", account)
                .update();
        if (s.conversation() == Conversation.SEEN) {
            sql.sql("""
                            INSERT INTO conversation (account_id, period_start, conversation_id, created_at,
                                                      open_reservations, committed)
                            SELECT account_id, period_start, 'seen', :now, 0, true FROM budget WHERE account_id = :account
                            """)
                    .param("now", java.sql.Timestamp.from(now))
                    .param("account", account)
                    .update();
        }
    }

    @Provide
    Arbitrary<State> states() {
        var trialEnds = Arbitraries.of(Duration.ofDays(-1), Duration.ZERO, Duration.ofDays(3)).injectNull(0.3);
        var override = Arbitraries.longs().between(0, 2000).injectNull(0.6);
        return Builders.withBuilder(() -> new StateDraft())
                .use(Arbitraries.of(plans)).in((d, v) -> d.set(() -> d.plan = v))
                .use(Arbitraries.frequency(Tuple.of(3, "trialing"), Tuple.of(6, "active"), Tuple.of(1, "past_due"),
                        Tuple.of(1, "canceled"), Tuple.of(1, "expired"))).in((d, v) -> d.set(() -> d.status = v))
                .use(trialEnds).in((d, v) -> d.set(() -> d.trialEndsIn = v))
                .use(override).in((d, v) -> d.set(() -> d.tokenOverride = v))
                .use(Arbitraries.longs().between(0, 1500)).in((d, v) -> d.set(() -> d.tokensUsed = v))
                .use(Arbitraries.longs().between(0, 600)).in((d, v) -> d.set(() -> d.tokensReserved = v))
                .use(Arbitraries.longs().between(0, 2)).in((d, v) -> d.set(() -> d.conversationsUsed = v))
                .use(Arbitraries.longs().between(0, 1)).in((d, v) -> d.set(() -> d.conversationsReserved = v))
                .use(Arbitraries.longs().between(0, 2)).in((d, v) -> d.set(() -> d.credits = v))
                .use(Arbitraries.longs().between(0, 1)).in((d, v) -> d.set(() -> d.creditsReserved = v))
                .use(Arbitraries.longs().between(0, 20_000)).in((d, v) -> d.set(() -> d.balanceMicros = v))
                .use(Arbitraries.longs().between(0, 5_000)).in((d, v) -> d.set(() -> d.balanceReservedMicros = v))
                .use(Arbitraries.longs().between(0, 800)).in((d, v) -> d.set(() -> d.inputTokens = v))
                .use(Arbitraries.longs().between(0, 800)).in((d, v) -> d.set(() -> d.maxOutputTokens = v))
                .use(Arbitraries.of(true, false, false, false)).in((d, v) -> d.set(() -> d.byok = v))
                .use(Arbitraries.of(Conversation.class)).in((d, v) -> d.set(() -> d.conversation = v))
                .build(StateDraft::state);
    }

    private static final class StateDraft {
        PlanShape plan;
        String status;
        @Nullable Duration trialEndsIn;
        @Nullable Long tokenOverride;
        long tokensUsed;
        long tokensReserved;
        long conversationsUsed;
        long conversationsReserved;
        long credits;
        long creditsReserved;
        long balanceMicros;
        long balanceReservedMicros;
        long inputTokens;
        long maxOutputTokens;
        boolean byok;
        Conversation conversation;

        /** Builders want the draft back from each step. */
        StateDraft set(Runnable assignment) {
            assignment.run();
            return this;
        }

        State state() {
            return new State(plan, status, trialEndsIn, tokenOverride, tokensUsed, tokensReserved,
                    conversationsUsed, conversationsReserved, credits, creditsReserved, balanceMicros,
                    balanceReservedMicros, inputTokens, maxOutputTokens, byok, conversation);
        }
    }
}
