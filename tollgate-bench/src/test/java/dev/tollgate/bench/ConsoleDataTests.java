package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleDataTests {

    @Test
    void the_search_text_matches_about_a_tenth_of_the_accounts_emails() {
        assertThat(ConsoleData.searchText(100_000)).isEqualTo("user01");
        assertThat(ConsoleData.searchText(2_000)).isEqualTo("user0002");
        long matches = ConsoleData.accounts(100_000).stream()
                .filter(account -> ((String) account.get("email")).contains(ConsoleData.searchText(100_000)))
                .count();
        assertThat(matches).isEqualTo(10_000);
    }

    @Test
    void the_heavy_account_is_on_the_business_plan() {
        assertThat(ConsoleData.accounts(100).get(ConsoleData.HEAVY))
                .containsEntry("id", "bench-console-000007")
                .containsEntry("plan", "business");
    }
}
