package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.Http;
import dev.tollgate.IntegrationTest;
import dev.tollgate.platform.RequestLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;

/**
 * Generated bad input over every JSON endpoint: each body is a valid request broken in one to three
 * ways (a negative, fractional, huge or wrongly typed number, an overlong or control-character string,
 * malformed money, metadata too deep or too big, a body that is not JSON, not an object, too deep or
 * too large, an unknown path id), with SQL injection and odd Unicode sprinkled over the fields that
 * stay valid. Every answer must be a 4xx problem, and afterwards the value tables must be exactly as
 * they were and the ledger must reconcile.
 */
class BadInputTests extends IntegrationTest {

    private static final int TRIES = 100;
    /**
     * CI explores the same 1,100 requests every run so that a build never fails by chance; change the
     * seed (or remove it locally) to explore new ones, and keep any failure found as a fixed case.
     */
    private static final String SEED = "20261121";

    private String account;
    private String reservation;
    private String before;
    private long eventsFrom;

    // ---- the application, shared with the JUnit tests ------------------------------------------------------

    @BeforeProperty
    void startTollgateAndMakeFixtures() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
        http = new Http("http://localhost:" + port, null);
        admin = http.as(ADMIN_KEY);
        sql = JdbcClient.create(dataSource);
        account = unique("fuzz");
        var created = admin.post("/v1/accounts", Map.of("id", account, "plan", "business"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(admin.post("/v1/accounts/" + account + "/top-ups", Map.of("amount_usd", "100.00")).status())
                .isEqualTo(201);
        var reserved = admin.post("/v1/reservations", Map.of("account_id", account, "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10));
        assertThat(reserved.status()).as(reserved.toString()).isEqualTo(201);
        reservation = reserved.json().path("id").asString();
        // Events of no account written before the fixture may be dropped meanwhile by event retention (the
        // shared test clock runs months ahead); only those written since are the properties' doing.
        eventsFrom = sql.sql("SELECT coalesce(max(id), 0) FROM event").query(Long.class).single();
        before = snapshot();
    }

    @AfterProperty
    void theLedgerStillReconciles() {
        var reconciliation = admin.get("/v1/admin/reconciliation");
        assertThat(reconciliation.status()).isEqualTo(200);
        assertThat(reconciliation.json().path("data").size()).as(reconciliation.text()).isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    /** Row counts of every value table, and the fixture account's rows in full. */
    private String snapshot() {
        return sql.sql("""
                        SELECT concat_ws(' | ',
                            (SELECT count(*) FROM account), (SELECT count(*) FROM subscription),
                            (SELECT count(*) FROM budget), (SELECT count(*) FROM plan),
                            (SELECT count(*) FROM model_price), (SELECT count(*) FROM api_key),
                            (SELECT count(*) FROM ledger_entry WHERE account_id = :a),
                            (SELECT count(*) FROM reservation WHERE account_id = :a),
                            (SELECT count(*) FROM usage_record WHERE account_id = :a),
                            (SELECT count(*) FROM conversation WHERE account_id = :a),
                            (SELECT count(*) FROM event WHERE account_id = :a),
                            (SELECT count(*) FROM event e
                              WHERE e.id > :eventsFrom
                                AND NOT EXISTS (SELECT 1 FROM account x WHERE x.id = e.account_id)),
                            (SELECT row(b.*)::text FROM budget b WHERE b.account_id = :a),
                            (SELECT row(s.*)::text FROM subscription s WHERE s.account_id = :a),
                            (SELECT row(a.*)::text FROM account a WHERE a.id = :a),
                            (SELECT status FROM reservation WHERE id = :r))
                        """)
                .param("a", account)
                .param("r", reservation)
                .param("eventsFrom", eventsFrom)
                .query(String.class)
                .single();
    }

    // ---- the properties ------------------------------------------------------------------------------------

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void creating_an_account(@ForAll("createAccount") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void backfilling_accounts(@ForAll("batch") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void reserving(@ForAll("reserve") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void committing(@ForAll("commit") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void recording_usage(@ForAll("usage") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void moving_credits(@ForAll("credits") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void topping_up(@ForAll("topUp") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void setting_a_plan(@ForAll("plan") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void setting_a_price(@ForAll("price") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void setting_an_allowance(@ForAll("allowance") Request request) {
        assertRejectedWithoutChange(request);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void creating_an_api_key(@ForAll("apiKey") Request request) {
        assertRejectedWithoutChange(request);
    }

    private void assertRejectedWithoutChange(Request request) {
        var response = admin.idempotent(UUID.randomUUID().toString())
                .send(request.method(), request.path(), request.body(), request.contentType());
        assertThat(response.status()).as("%s\n-> %s", request, response).isBetween(400, 499);
        assertThat(response.isProblem()).as("%s\n-> %s", request, response).isTrue();
        assertThat(response.code()).as("%s\n-> %s", request, response).isNotBlank();
        assertThat(response.text()).as("no internals in %s", response).doesNotContain("Exception")
                .doesNotContain("SQL").doesNotContain("org.postgresql").doesNotContain("\tat ");
        assertThat(snapshot()).as("nothing changed after %s\n-> %s", request, response).isEqualTo(before);
    }

    // ---- endpoints: a valid template and what breaks each field --------------------------------------------

    @Provide
    Arbitrary<Request> createAccount() {
        return endpoint("POST", () -> "/v1/accounts", Map.of(
                        "id", "fuzz-new-" + UUID.randomUUID(), "plan", "trial", "email", "user@example.com",
                        "metadata", Map.of("source", "fuzz")),
                Map.of("id", requiredId(128), "plan", planCodes(), "email", text(320), "metadata", metadata()),
                List.of("email", "metadata"));
    }

    @Provide
    Arbitrary<Request> batch() {
        Map<String, Object> one = new LinkedHashMap<>(Map.of("id", "fuzz-batch-" + UUID.randomUUID(),
                "email", "batch@example.com"));
        Map<String, Object> two = new LinkedHashMap<>(Map.of("id", "fuzz-batch-" + UUID.randomUUID()));
        var tooMany = new ArrayList<Object>();
        for (int i = 0; i <= 10_000; i++) {
            tooMany.add(Map.of("id", "fuzz-many-" + i));
        }
        List<Object> invalidLists = new ArrayList<>(List.of(ABSENT, "accounts", 7, Map.of(), tooMany,
                List.of(one, "not an object"), List.of(one, 42)));
        var itemRules = Map.<String, List<Object>>of("id", requiredId(128), "plan", planCodes(), "email", text(320),
                "metadata", metadata());
        var itemViolations = Arbitraries.of(itemRules.keySet().stream().sorted().toList()).flatMap(field ->
                Arbitraries.of(itemRules.get(field)).map(value -> new Violation("accounts[1]." + field, value)));
        var listViolations = Arbitraries.of(invalidLists).map(value -> new Violation("accounts", value));
        var template = new LinkedHashMap<String, Object>(Map.of("accounts", List.of(one, two)));
        return request("POST", () -> "/v1/accounts/batch", template,
                Arbitraries.oneOf(itemViolations, listViolations), List.of("accounts[0].email"));
    }

    @Provide
    Arbitrary<Request> reserve() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("account_id", concat(requiredId(128), List.of("fuzz-missing-" + UUID.randomUUID(),
                "' OR '1'='1", "fuzz'; DROP TABLE account; --")));
        rules.put("provider", name(64));
        rules.put("model", name(128));
        rules.put("input_tokens", tokens());
        rules.put("max_output_tokens", tokens());
        rules.put("prompt", List.of(42, true, List.of("a"), Map.of("a", 1)));
        rules.put("messages", List.of("hello", 42, List.of("not an object"), Map.of("role", "user"),
                java.util.Arrays.asList((Object) null)));
        rules.put("byok", bool());
        rules.put("job_type", text(128));
        rules.put("job_id", text(255));
        rules.put("conversation_id", text(255));
        rules.put("metadata", metadata());
        var template = new LinkedHashMap<String, Object>(Map.of("account_id", "{account}", "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "max_output_tokens", 10, "byok", false, "job_type",
                "review", "job_id", "job-1", "conversation_id", "c-1", "metadata", Map.of("k", "v")));
        return endpoint("POST", () -> "/v1/reservations", template, rules,
                List.of("job_type", "job_id", "conversation_id", "metadata"));
    }

    @Provide
    Arbitrary<Request> commit() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("input_tokens", concat(tokens(), List.of(ABSENT)));
        rules.put("output_tokens", concat(tokens(), List.of(ABSENT)));
        rules.put("cached_input_tokens", concat(tokens(), List.of(11)));
        // A part of the input, as the cached part is: with 2 of 10 cached, 9 written to the cache is too many.
        rules.put("cache_write_input_tokens", concat(tokens(), List.of(9)));
        // A part of the cache writes: with 3 written, 4 written for an hour is too many.
        rules.put("cache_write_1h_input_tokens", concat(tokens(), List.of(4)));
        // The model is optional on commit (the reservation's model is used), so leaving it out is valid.
        rules.put("model", name(128).stream().filter(value -> value != ABSENT).toList());
        rules.put("duration_ms", List.of(-1, 86_400_001, Long.MAX_VALUE, 1.5, "100", true, List.of()));
        rules.put("metadata", metadata());
        var template = new LinkedHashMap<String, Object>(Map.of("input_tokens", 10, "output_tokens", 5,
                "cached_input_tokens", 2, "cache_write_input_tokens", 3, "model", "gpt-4o", "duration_ms", 1200,
                "metadata", Map.of("k", "v")));
        template.put("cache_write_1h_input_tokens", 1);
        return endpoint("POST", () -> "/v1/reservations/" + reservation + "/commit", template, rules,
                List.of("metadata"));
    }

    @Provide
    Arbitrary<Request> usage() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("account_id", concat(requiredId(128), List.of("fuzz-missing-" + UUID.randomUUID())));
        rules.put("provider", name(64));
        rules.put("model", name(128));
        rules.put("input_tokens", concat(tokens(), List.of(ABSENT)));
        rules.put("output_tokens", concat(tokens(), List.of(ABSENT)));
        rules.put("cached_input_tokens", concat(tokens(), List.of(11)));
        rules.put("cache_write_input_tokens", concat(tokens(), List.of(11)));
        rules.put("cache_write_1h_input_tokens", concat(tokens(), List.of(5)));
        rules.put("byok", bool());
        rules.put("job_type", text(128));
        rules.put("job_id", text(255));
        rules.put("conversation_id", text(255));
        rules.put("duration_ms", List.of(-1, 86_400_001, 1.5, "100", List.of()));
        rules.put("metadata", metadata());
        var template = new LinkedHashMap<String, Object>(Map.of("account_id", "{account}", "provider", "openai",
                "model", "gpt-4o", "input_tokens", 10, "output_tokens", 5, "cached_input_tokens", 0, "byok", false,
                "job_type", "review", "job_id", "job-1", "metadata", Map.of("k", "v")));
        template.put("conversation_id", "c-1");
        template.put("duration_ms", 100);
        template.put("cache_write_input_tokens", 4);
        template.put("cache_write_1h_input_tokens", 2);
        return endpoint("POST", () -> "/v1/usage", template, rules,
                List.of("job_type", "job_id", "conversation_id", "metadata"));
    }

    @Provide
    Arbitrary<Request> credits() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("type", List.of(ABSENT, "", "ADD", "grant", "top_up", "usage", "add'; --", 1, List.of("add")));
        rules.put("amount", List.of(ABSENT, 0, -1, -5, 1_000_000_001L, Long.MAX_VALUE, Long.MIN_VALUE,
                new Raw("9223372036854775808"), 1.5, new Raw("1e400"), "5", true, List.of(5), Map.of()));
        rules.put("description", requiredText(1000));
        rules.put("metadata", metadata());
        var template = new LinkedHashMap<String, Object>(Map.of("type", "add", "amount", 5, "description",
                "Promo credits", "metadata", Map.of("campaign", "fuzz")));
        return endpoint("POST", pathTo("/v1/accounts/{account}/credits"), template, rules,
                List.of("description", "metadata"));
    }

    @Provide
    Arbitrary<Request> topUp() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("amount_usd", money(true));
        rules.put("reference", text(255));
        var template = new LinkedHashMap<String, Object>(Map.of("amount_usd", "10.00", "reference", "pay_fuzz"));
        return endpoint("POST", pathTo("/v1/accounts/{account}/top-ups"), template, rules, List.of("reference"));
    }

    @Provide
    Arbitrary<Request> plan() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("name", requiredText(200));
        // A plan may be free, so "0" is a valid price here (unlike a top-up amount).
        rules.put("price_usd", money(false).stream().filter(value -> !"0".equals(value)).toList());
        rules.put("currency", List.of("usd", "US", "USDX", "", "€", 840, List.of("USD")));
        rules.put("period", List.of(ABSENT, "", "P0D", "P1H", "1M", "PT1H", "P99999D", "P-1D", "P1.5M", 30,
                "P1M'; --"));
        rules.put("trial_days", List.of(-1, 3651, Integer.MAX_VALUE, new Raw("2147483648"), 1.5, "7", true));
        rules.put("tokens_per_period", concat(limit(), List.of()));
        rules.put("conversations_per_period", limit());
        rules.put("credits_per_request", List.of(-1, 1_000_001, 1.5, "1", true, List.of()));
        rules.put("charges_balance", bool());
        rules.put("stripe_price_id", text(255));
        rules.put("sort_order", List.of(new Raw("2147483648"), 1.5, "1", List.of()));
        var template = new LinkedHashMap<String, Object>(Map.of("name", "Fuzz", "price_usd", "9.00", "currency",
                "USD", "period", "P30D", "trial_days", 0, "tokens_per_period", 1000, "credits_per_request", 0,
                "charges_balance", false, "sort_order", 99));
        var badCodes = Arbitraries.of("UPPER", "with%20space", "x".repeat(65), "-leading", "semi;colon", "%00")
                .map(code -> new Violation("{path}", "/v1/plans/" + code));
        return request("PUT", () -> "/v1/plans/fuzz-plan-never-created", template,
                Arbitraries.oneOf(violations(rules), badCodes), List.of("name", "stripe_price_id"));
    }

    @Provide
    Arbitrary<Request> price() {
        var rules = new LinkedHashMap<String, List<Object>>();
        for (String field : List.of("input_per_1k_usd", "output_per_1k_usd", "cached_input_per_1k_usd")) {
            rules.put(field, List.of("-0.01", "NaN", "Infinity", "1e999999999", "abc", "", "0.0000000001",
                    "10.000001", "1000000", -1, true, List.of("1"), Map.of()));
        }
        rules.put("input_per_1k_usd", concat(rules.get("input_per_1k_usd"), List.of(ABSENT)));
        rules.put("effective_from", List.of("yesterday", "2026-13-01T00:00:00Z", 12345, true, List.of(),
                "0000-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z"));
        var template = new LinkedHashMap<String, Object>(Map.of("input_per_1k_usd", "0.0025",
                "output_per_1k_usd", "0.01", "cached_input_per_1k_usd", "0.001"));
        var badNames = Arbitraries.of("Open%20AI/gpt-4o", "openai/gpt%204o", "openai/" + "m".repeat(129),
                "x".repeat(65) + "/gpt-4o", "openai/model';drop", "-x/gpt-4o")
                .map(names -> new Violation("{path}", "/v1/prices/" + names));
        return request("PUT", () -> "/v1/prices/fuzzprovider/fuzz-model-never-priced", template,
                Arbitraries.oneOf(violations(rules), badNames), List.of());
    }

    @Provide
    Arbitrary<Request> allowance() {
        var rules = Map.<String, List<Object>>of("tokens_per_period", concat(limit(),
                List.of(new Raw("9223372036854775808"), Long.MIN_VALUE)));
        var template = new LinkedHashMap<String, Object>(Map.of("tokens_per_period", 1000));
        return endpoint("PUT", pathTo("/v1/accounts/{account}/allowance"), template, rules, List.of());
    }

    @Provide
    Arbitrary<Request> apiKey() {
        var rules = new LinkedHashMap<String, List<Object>>();
        rules.put("name", requiredText(200));
        rules.put("role", List.of(ABSENT, "", "user", "superuser", "ADMIN", "admin ", 1, true, List.of("admin")));
        var template = new LinkedHashMap<String, Object>(Map.of("name", "fuzz key", "role", "read"));
        return endpoint("POST", () -> "/v1/api-keys", template, rules, List.of("name"));
    }

    // ---- what breaks a field -------------------------------------------------------------------------------

    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "<absent>";
        }
    };

    /** A JSON text written as is, for tokens that no Java value serializes to. */
    record Raw(String json) {}

    private static List<Object> concat(List<Object> first, List<Object> second) {
        var all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    static List<Object> tokens() {
        return List.of(-1, -100, Long.MIN_VALUE, 100_000_001L, Long.MAX_VALUE, new Raw("9223372036854775808"),
                new Raw("1e400"), new Raw("-1e400"), 1.5, new Raw("10.0"), "10", "", "ten", true, List.of(10),
                Map.of("n", 10));
    }

    static List<Object> limit() {
        return List.of(-1, 1_000_000_000_001L, Long.MAX_VALUE, 1.5, "1000", true, List.of(), Map.of());
    }

    static List<Object> bool() {
        return List.of("yes", "true", 1, 0, List.of(true), Map.of());
    }

    static List<Object> requiredId(int max) {
        return List.of(ABSENT, "", " ", " padded", "padded ", "x".repeat(max + 1), "ctrl\u0001char", "new\nline",
                "nul\u0000", 42, true, List.of("id"), Map.of("id", "x"));
    }

    static List<Object> requiredText(int max) {
        return List.of(ABSENT, "", " starts with space", "x".repeat(max + 1), "nul\u0000", 42, true,
                List.of("x"), Map.of());
    }

    static List<Object> text(int max) {
        return List.of("x".repeat(max + 1), "nul\u0000byte", 42, false, List.of("x"), Map.of("x", 1));
    }

    static List<Object> name(int max) {
        return List.of(ABSENT, "", "with space", "semi;colon", "quote'", "x".repeat(max + 1), "emoji\uD83D\uDE00",
                "-leading", "nul\u0000", 5, List.of("openai"));
    }

    static List<Object> planCodes() {
        return List.of("no-such-plan", "Trial", "trial'; DROP TABLE plan; --", "", " trial", "x".repeat(65), 7,
                List.of("trial"), Map.of());
    }

    static List<Object> money(boolean required) {
        var values = new ArrayList<Object>(List.of("0", "-1", "-0.000001", "1.0000001", "NaN", "Infinity",
                "-Infinity", "1e999999999", "1e-999999999", "abc", "", " ", "1,00", "$1", "0x10", "10 USD",
                "1000000.000001", "99999999999999999999", true, List.of("1"), Map.of()));
        if (required) {
            values.add(ABSENT);
        }
        return values;
    }

    static List<Object> metadata() {
        Map<String, Object> deep = Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", Map.of("f", 1))))));
        var big = new LinkedHashMap<String, Object>();
        for (int i = 0; i < 200; i++) {
            big.put("key" + i, "v".repeat(100));
        }
        return List.of(deep, big, Map.of("k".repeat(101), 1), "metadata", 42, List.of(1, 2),
                Map.of("k", "nul\u0000"), Map.of("nul\u0000key", 1), Map.of("list", List.of(List.of(List.of(
                        List.of(List.of(1)))))));
    }

    /** Valid but hostile text for the fields a body keeps valid. */
    static final List<String> NOISE = List.of("'; DROP TABLE ledger_entry; --", "' OR '1'='1", "1; SELECT pg_sleep(5)",
            "Robert'); DELETE FROM account;--", "$$; TRUNCATE budget; $$", "\uD83D\uDE00\uD83C\uDF89",
            "\u202Eevil\u202C", "zero\u200Bwidth", "\uFF46\uFF55\uFF4C\uFF4C", "e\u0301\u0301", "\u4E2D\u6587",
            "\uFEFFbom", "lone \uD83D surrogate", "%s%n%x", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>",
            "\\u0000 escaped text");

    // ---- building requests -----------------------------------------------------------------------------------

    record Violation(String field, Object value) {}

    record Request(String method, String path, String body, String contentType, String label) {
        @Override
        public String toString() {
            String shown = body.length() > 600 ? body.substring(0, 600) + "... (" + body.length() + " chars)" : body;
            return method + " " + path + " [" + label + "] " + contentType + "\n" + shown;
        }
    }

    private interface Path {
        String get();
    }

    private Path pathTo(String template) {
        return () -> template.replace("{account}", account);
    }

    private static Arbitrary<Violation> violations(Map<String, List<Object>> rules) {
        return Arbitraries.of(rules.keySet().stream().sorted().toList())
                .flatMap(field -> Arbitraries.of(rules.get(field)).map(value -> new Violation(field, value)));
    }

    private Arbitrary<Request> endpoint(String method, Path path, Map<String, Object> template,
            Map<String, List<Object>> rules, List<String> noiseFields) {
        Arbitrary<Violation> fieldViolations = violations(rules);
        String resolved = path.get();
        if (!resolved.contains(account) && !resolved.contains(reservation)) {
            return request(method, path, new LinkedHashMap<>(template), fieldViolations, noiseFields);
        }
        String id = resolved.contains(reservation) ? reservation : account;
        Arbitrary<Violation> pathViolations = Arbitraries.of("fuzz-missing-" + UUID.randomUUID(), "'%20OR%201=1%20--",
                        "%2e%2e", "x".repeat(200), "rsv_" + UUID.randomUUID())
                .map(missing -> new Violation("{path}", resolved.replace(id, missing)));
        return request(method, path, new LinkedHashMap<>(template),
                Arbitraries.frequencyOf(Tuple.of(9, fieldViolations), Tuple.of(1, pathViolations)), noiseFields);
    }

    private Arbitrary<Request> request(String method, Path path, Map<String, Object> template,
            Arbitrary<Violation> violation, List<String> noiseFields) {
        Arbitrary<List<Violation>> broken = violation.list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<Tuple.Tuple2<String, String>>> noise = noiseFields.isEmpty()
                ? Arbitraries.just(List.of())
                : Combinators.combine(Arbitraries.of(noiseFields), Arbitraries.of(NOISE)).as(Tuple::of).list()
                        .ofMaxSize(2);
        Arbitrary<Shape> shape = Arbitraries.frequency(Tuple.of(14, Shape.AS_IS), Tuple.of(1, Shape.TRUNCATED),
                Tuple.of(1, Shape.NOT_AN_OBJECT), Tuple.of(1, Shape.NOT_JSON), Tuple.of(1, Shape.TOO_DEEP),
                Tuple.of(1, Shape.TOO_LARGE), Tuple.of(1, Shape.TRAILING_GARBAGE));
        return Combinators.combine(broken, noise, shape, Arbitraries.integers().between(1, 1000))
                .as((violations, noises, bodyShape, cut) -> build(method, path, template, violations, noises,
                        bodyShape, cut));
    }

    enum Shape { AS_IS, TRUNCATED, NOT_AN_OBJECT, NOT_JSON, TOO_DEEP, TOO_LARGE, TRAILING_GARBAGE }

    private Request build(String method, Path path, Map<String, Object> template, List<Violation> violations,
            List<Tuple.Tuple2<String, String>> noises, Shape shape, int cut) {
        Object body = deepCopy(template);
        String target = path.get();
        for (var noise : noises) {
            set(body, noise.get1(), noise.get2());
        }
        var labels = new ArrayList<String>();
        for (var violation : violations) {
            if (violation.field().equals("{path}")) {
                target = (String) violation.value();
            } else {
                set(body, violation.field(), violation.value());
            }
            labels.add(violation.field() + "=" + abbreviate(violation.value()));
        }
        String json = Json.write(body).replace("\"{account}\"", Json.write(account));
        String contentType = "application/json";
        switch (shape) {
            case TRUNCATED -> json = json.substring(0, Math.max(1, Math.min(json.length() - 1, cut)));
            case NOT_AN_OBJECT -> json = List.of("[]", "\"text\"", "42", "null", "true").get(cut % 5);
            case NOT_JSON -> contentType = List.of("text/plain", "application/x-www-form-urlencoded",
                    "application/xml").get(cut % 3);
            case TOO_DEEP -> json = json.substring(0, json.length() - 1) + ",\"deep\":" + "[".repeat(40)
                    + "]".repeat(40) + "}";
            case TOO_LARGE -> json = json.substring(0, json.length() - 1) + ",\"padding\":\""
                    + "p".repeat(RequestLimits.bodySizeMax(target)) + "\"}";
            case TRAILING_GARBAGE -> json = json + " {\"second\": \"document\"}";
            case AS_IS -> { }
        }
        labels.add(shape.name());
        return new Request(method, target, json, contentType, String.join(", ", labels));
    }

    private static String abbreviate(Object value) {
        String text = value instanceof String s ? '"' + s + '"' : String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** Sets {@code a.b[1].c}-style fields; {@link #ABSENT} removes the field. */
    @SuppressWarnings("unchecked")
    private static void set(Object body, String field, Object value) {
        Object container = body;
        String[] parts = field.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            container = step(container, parts[i]);
        }
        String last = parts[parts.length - 1];
        if (!(container instanceof Map<?, ?>)) {
            return;
        }
        var map = (Map<String, Object>) container;
        if (value == ABSENT) {
            map.remove(last);
        } else {
            map.put(last, deepCopy(value));
        }
    }

    private static Object step(Object container, String part) {
        int bracket = part.indexOf('[');
        String key = bracket < 0 ? part : part.substring(0, bracket);
        Object next = container instanceof Map<?, ?> map ? map.get(key) : null;
        if (bracket >= 0 && next instanceof List<?> list) {
            next = list.get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
        }
        return next;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            var copy = new LinkedHashMap<String, Object>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            var copy = new ArrayList<Object>();
            list.forEach(v -> copy.add(v == null ? null : deepCopy(v)));
            return copy;
        }
        return value;
    }

    /** A JSON writer that also writes {@link Raw} tokens. */
    static final class Json {
        private static final tools.jackson.databind.json.JsonMapper MAPPER = tools.jackson.databind.json.JsonMapper
                .shared();

        static String write(Object value) {
            return switch (value) {
                case null -> "null";
                case Raw raw -> raw.json();
                case Map<?, ?> map -> {
                    var out = new StringBuilder("{");
                    map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(write(k)).append(':')
                            .append(write(v)));
                    yield out.append('}').toString();
                }
                case List<?> list -> {
                    var out = new StringBuilder("[");
                    list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(write(v)));
                    yield out.append(']').toString();
                }
                default -> MAPPER.writeValueAsString(value);
            };
        }
    }
}
