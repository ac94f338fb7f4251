package dev.tollgate.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.client.DenialException;
import dev.tollgate.client.DenialReason;
import dev.tollgate.client.Event;
import dev.tollgate.client.NewAccount;
import dev.tollgate.client.RealTollgate;
import dev.tollgate.client.ReserveRequest;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.client.Usage;
import dev.tollgate.client.UsageRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Spring AI's OpenAI chat model against a fake OpenAI upstream, metered by the advisor against a real Tollgate. */
@SpringBootTest(classes = AdvisorTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class AdvisorTests {

    private static final RealTollgate TOLLGATE = RealTollgate.instance();
    private static final FakeOpenAi OPENAI = new FakeOpenAi();

    @Autowired
    ChatClient.Builder chatClients;

    @Autowired
    TollgateClient tollgate;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tollgate.client.base-url", TOLLGATE::baseUrl);
        registry.add("tollgate.client.api-key", () -> RealTollgate.ADMIN_KEY);
        OPENAI.register(registry);
    }

    @AfterAll
    static void stopFake() {
        OPENAI.close();
    }

    @Test
    void a_call_commits_the_usage_the_model_reported() {
        String account = newAccount("trial");

        String answer = chatClients.build().prompt().user("Hello")
                .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).call().content();

        assertThat(answer).isEqualTo("Hello! How can I assist you today?");
        assertThat(usage(account)).singleElement().satisfies(usage -> {
            assertThat(usage.inputTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
            assertThat(usage.outputTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
            assertThat(usage.model()).isEqualTo(FakeOpenAi.MODEL);
        });
        var tokens = tollgate.account(account).tokens();
        assertThat(tokens.used()).isEqualTo(FakeOpenAi.PROMPT_TOKENS + FakeOpenAi.COMPLETION_TOKENS);
        assertThat(tokens.reserved()).isZero();
    }

    @Test
    void the_reservation_is_the_counted_prompt_plus_the_options_max_tokens() {
        String account = newAccount("trial");

        chatClients.build().prompt().user("How many tokens does this question have?")
                .options(ChatOptions.builder().maxTokens(123))
                .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).call().content();

        String reservationId = usage(account).get(0).reservationId();
        var reservation = tollgate.reservation(reservationId);
        assertThat(reservation.maxOutputTokens()).isEqualTo(123);
        assertThat(reservation.inputTokens()).isBetween(8L, 40L);
        assertThat(OPENAI.requests().get(OPENAI.requests().size() - 1)).contains("123");
    }

    @Test
    void a_stream_commits_the_usage_of_its_final_chunk() {
        String account = newAccount("trial");

        List<String> parts = chatClients.build().prompt().user("Hello")
                .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).stream().content().collectList()
                .block();

        assertThat(String.join("", parts)).isEqualTo("Hello!");
        assertThat(OPENAI.requests().get(OPENAI.requests().size() - 1)).contains("\"include_usage\":true");
        assertThat(usage(account)).singleElement().satisfies(usage -> {
            assertThat(usage.inputTokens()).isEqualTo(FakeOpenAi.PROMPT_TOKENS);
            assertThat(usage.outputTokens()).isEqualTo(FakeOpenAi.COMPLETION_TOKENS);
        });
        assertThat(tollgate.account(account).tokens().reserved()).isZero();
    }

    @Test
    void a_denial_stops_the_call_before_the_model_is_reached() {
        String account = newAccount("trial");
        try (var spent = tollgate.reserve(ReserveRequest.builder(account, "openai", "gpt-4o")
                .inputTokens(5900).maxOutputTokens(0).build())) {
            spent.commit(Usage.of(5900, 0));
        }
        int before = OPENAI.requests().size();

        assertThatThrownBy(() -> chatClients.build().prompt().user("Hello")
                .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).call().content())
                .isInstanceOfSatisfying(DenialException.class, denied -> {
                    assertThat(denied.reason()).isEqualTo(DenialReason.INSUFFICIENT_TOKENS);
                    assertThat(denied.getMessage()).startsWith("Insufficient tokens. You have 100 tokens remaining");
                });
        assertThatThrownBy(() -> chatClients.build().prompt().user("Hello")
                .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).stream().content().blockLast())
                .isInstanceOf(DenialException.class);
        assertThat(OPENAI.requests()).hasSize(before);
    }

    @Test
    void a_model_call_that_fails_releases_its_reservation() {
        String account = newAccount("trial");
        OPENAI.failing(true);
        try {
            assertThatThrownBy(() -> chatClients.build().prompt().user("Hello")
                    .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).call().content())
                    .isNotInstanceOf(DenialException.class);
            assertThatThrownBy(() -> chatClients.build().prompt().user("Hello")
                    .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).stream().content().blockLast())
                    .isNotInstanceOf(DenialException.class);
        } finally {
            OPENAI.failing(false);
        }
        assertThat(eventTypes(account)).filteredOn("reservation.approved"::equals).hasSize(2);
        var tokens = tollgate.account(account).tokens();
        assertThat(tokens.reserved()).isZero();
        assertThat(tokens.used()).isZero();
        assertThat(usage(account)).isEmpty();
    }

    @Test
    void a_stream_the_caller_leaves_early_releases_its_reservation() throws InterruptedException {
        String account = newAccount("trial");

        chatClients.build().prompt().user("Hello").advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account))
                .stream().content().take(1).blockLast();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tollgate.account(account).tokens().reserved() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(tollgate.account(account).tokens().reserved()).isZero();
        assertThat(eventTypes(account)).contains("reservation.approved");
        assertThat(usage(account)).isEmpty();
    }

    /** A tool the model asks for in the fake's first answer. */
    static class WeatherTools {
        @Tool(description = "The current weather in a city")
        String currentWeather(String city) {
            return "Sunny in " + city;
        }
    }

    @Test
    void each_round_trip_of_a_tool_loop_is_reserved_and_committed_on_its_own() {
        String account = newAccount("trial");

        String answer = chatClients.build().prompt().user("Weather in Paris?").tools(new WeatherTools())
                .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, account)).call().content();

        assertThat(answer).isEqualTo("Hello! How can I assist you today?");
        assertThat(OPENAI.requests().get(OPENAI.requests().size() - 1)).contains("Sunny in Paris");
        assertThat(usage(account)).extracting(UsageRecord::inputTokens, UsageRecord::outputTokens)
                .containsExactlyInAnyOrder(
                        tuple(FakeOpenAi.PROMPT_TOKENS, FakeOpenAi.COMPLETION_TOKENS),
                        tuple(FakeOpenAi.TOOL_CALL_PROMPT_TOKENS,
                                FakeOpenAi.TOOL_CALL_COMPLETION_TOKENS));
        assertThat(eventTypes(account)).filteredOn("reservation.approved"::equals).hasSize(2);
    }

    @Test
    void the_account_comes_from_the_resolver_when_the_call_names_none() {
        String account = newAccount("trial");
        AdvisorTestApplication.signedInUser = account;
        try {
            chatClients.build().prompt().user("Hello").call().content();
        } finally {
            AdvisorTestApplication.signedInUser = null;
        }
        assertThat(usage(account)).hasSize(1);
    }

    private String newAccount(String plan) {
        String id = RealTollgate.newAccountId(plan);
        tollgate.createAccount(NewAccount.of(id, plan));
        return id;
    }

    private List<UsageRecord> usage(String account) {
        return usageOf(tollgate, account);
    }

    static List<UsageRecord> usageOf(TollgateClient client, String account) {
        List<UsageRecord> all = new ArrayList<>();
        client.usage(account).forEach(all::add);
        return all;
    }

    private List<String> eventTypes(String account) {
        return StreamSupport.stream(tollgate.events(account).spliterator(), false).map(Event::type).toList();
    }
}
