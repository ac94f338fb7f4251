package dev.tollgate.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lists iterate across cursors; the catalog, backfill, portal links and the live summary read what Tollgate holds. */
class ReadsTests extends ClientTest {

    @Test
    void the_ledger_iterates_across_pages_newest_first() {
        String account = newAccount("credits");
        try (TollgateClient paged = TollgateClient.builder().baseUrl(tollgate.baseUrl()).apiKey(RealTollgate.ADMIN_KEY)
                .pageSize(2).build()) {
            for (int i = 1; i <= 5; i++) {
                paged.adjustCredits(account, CreditType.ADD, i, "grant " + i, null);
            }
            var entries = all(paged.ledger(account, "credits"));
            assertThat(entries).extracting(LedgerEntry::description)
                    .startsWith("grant 5", "grant 4", "grant 3", "grant 2", "grant 1").hasSize(6);
            assertThat(entries.get(5).type()).isEqualTo("grant");
            assertThat(all(paged.events(account))).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void a_gateway_key_is_created_with_its_secret_once_listed_without_it_and_revoked() {
        String account = newAccount("pro");
        Instant expires = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        GatewayKey created = client.createGatewayKey(account, "chat app", expires, List.of("gpt-4o-mini"));
        assertThat(created.secret()).startsWith("tgv_");
        assertThat(created.models()).containsExactly("gpt-4o-mini");
        assertThat(created.expiresAt()).isEqualTo(expires);

        assertThat(client.gatewayKeys(account)).singleElement().satisfies(listed -> {
            assertThat(listed.id()).isEqualTo(created.id());
            assertThat(listed.secret()).isNull();
            assertThat(listed.revokedAt()).isNull();
        });
        client.deleteGatewayKey(account, created.id());
        assertThat(client.gatewayKeys(account)).singleElement()
                .satisfies(revoked -> assertThat(revoked.revokedAt()).isNotNull());
    }

    @Test
    void a_backfill_creates_new_accounts_and_leaves_existing_ones() {
        String existing = newAccount("free");
        String fresh = RealTollgate.newAccountId("backfill");
        BatchResult result = client.createAccounts(List.of(NewAccount.of(existing), NewAccount.of(fresh, "pro")));
        assertThat(result.created()).isEqualTo(1);
        assertThat(result.existing()).isEqualTo(1);
        assertThat(client.account(fresh).plan().code()).isEqualTo("pro");
        assertThatThrownBy(() -> client.createAccount(NewAccount.of(existing)))
                .isInstanceOfSatisfying(TollgateProblemException.class,
                        refused -> assertThat(refused.code()).isEqualTo("account_exists"));
    }

    @Test
    void the_catalog_and_a_portal_link_are_read_as_typed_values() {
        assertThat(client.plans()).extracting(Plan::code).contains("trial", "free", "lite", "pro", "business");
        assertThat(client.plans()).filteredOn(plan -> plan.code().equals("lite")).singleElement()
                .satisfies(lite -> assertThat(lite.priceUsd()).isEqualByComparingTo("15"));
        PortalSession link = client.createPortalSession(newAccount("free"), null);
        assertThat(link.url()).contains("/portal/");
        assertThat(client.healthy()).isTrue();
    }

    @Test
    void a_plan_set_through_the_client_applies_to_new_accounts_and_accounts_are_searchable() {
        String code = "client-plan-" + System.nanoTime();
        Plan plan = client.setPlan(new Plan(code, "Client test", new java.math.BigDecimal("4.50"), "USD", "P30D", 0,
                1234L, null, 0, false, null, 99, false));
        assertThat(plan.priceUsd()).isEqualByComparingTo("4.5");
        assertThat(client.plans()).extracting(Plan::code).contains(code);

        String account = newAccount(code);
        assertThat(client.account(account).tokens().limit()).isEqualTo(1234);
        assertThat(all(client.accounts(account, code))).extracting(AccountItem::id).containsExactly(account);
    }

    @Test
    void a_live_summary_follows_usage_committed_elsewhere_through_the_event_stream() throws InterruptedException {
        String account = newAccount("trial");
        // An hour: only the event stream can bring the new numbers within this test.
        try (LiveSummary live = client.liveSummary(account, Duration.ofHours(1))) {
            assertThat(live.get().tokens().used()).isZero();
            await(live::live);
            use(account, 700);
            await(() -> live.get().tokens().used() == 700);
            assertThat(live.get().tokens().remaining()).isEqualTo(5300);
        }
    }

    @Test
    void without_the_stream_the_live_summary_falls_back_to_a_read_cached_for_its_max_age()
            throws InterruptedException {
        String account = newAccount("trial");
        // A service key may read summaries but not stream events: the fallback is all it has.
        try (TollgateClient service = TollgateClient.builder().baseUrl(tollgate.baseUrl())
                .apiKey(tollgate.createKey("service")).build();
                LiveSummary cached = service.liveSummary(account, Duration.ofSeconds(3))) {
            assertThat(cached.get().tokens().used()).isZero();
            use(account, 400);
            assertThat(cached.get().tokens().used()).as("within its max age, the copy is not read again").isZero();
            Thread.sleep(3100);
            assertThat(cached.live()).isFalse();
            assertThat(cached.reading()).as("a key that may not stream is not retried").isFalse();
            assertThat(cached.get().tokens().used()).isEqualTo(400);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
