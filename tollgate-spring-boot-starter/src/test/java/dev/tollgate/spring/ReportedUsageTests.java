package dev.tollgate.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.metadata.DefaultUsage;

/** Spring AI's usage numbers as the advisor commits them, where cache reads and writes are parts of the input. */
class ReportedUsageTests {

    @Test
    void anthropic_cache_reads_and_writes_are_added_to_its_input_tokens() {
        // Spring AI passes Anthropic's input_tokens on as prompt tokens: neither cache reads nor writes are in it.
        var reported = new DefaultUsage(10, 50, 60, null, 5_000L, 1_000L);

        var usage = TollgateAdvisor.usage("anthropic", reported);

        assertThat(usage.inputTokens()).isEqualTo(6_010);
        assertThat(usage.cachedInputTokens()).isEqualTo(5_000);
        assertThat(usage.cacheWriteInputTokens()).isEqualTo(1_000);
        assertThat(usage.outputTokens()).isEqualTo(50);
    }

    @Test
    void openai_cached_tokens_are_already_part_of_its_prompt_tokens() {
        var reported = new DefaultUsage(1_200, 50, 1_250, null, 200L, null);

        var usage = TollgateAdvisor.usage("openai", reported);

        assertThat(usage.inputTokens()).isEqualTo(1_200);
        assertThat(usage.cachedInputTokens()).isEqualTo(200);
        assertThat(usage.cacheWriteInputTokens()).isNull();
    }
}
