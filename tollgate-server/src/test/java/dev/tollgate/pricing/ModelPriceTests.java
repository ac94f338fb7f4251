package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelPriceTests {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private static final Rates ONE_EACH = new Rates(1, 1, 1, 1, 1);

    private static ModelPrice price(long input, long output, long cachedInput) {
        return new ModelPrice("openai", "gpt-4o", new Rates(input, output, cachedInput, input, input), START, null);
    }

    @Test
    void cost_is_tokens_times_price_per_million() {
        // gpt-4o list price: $2.50 in, $10 out, $1.25 cached, per million tokens.
        var gpt4o = price(2_500_000, 10_000_000, 1_250_000);
        assertThat(gpt4o.costMicros(1_000_000, 0, 0, 0, 0)).isEqualTo(2_500_000);
        assertThat(gpt4o.costMicros(1_200, 800, 0, 0, 0)).isEqualTo(3_000 + 8_000);
    }

    @Test
    void cost_is_rounded_up_once_per_request_not_per_component() {
        // Half a micro-USD of input and half of output make one micro-USD, not two.
        var price = price(500_000, 500_000, 500_000);
        assertThat(price.costMicros(1, 1, 0, 0, 0)).isEqualTo(1);
        // A fraction of a micro-USD is still charged as a whole one.
        assertThat(price.costMicros(1, 0, 0, 0, 0)).isEqualTo(1);
        assertThat(price(1, 0, 0).costMicros(1, 0, 0, 0, 0)).isEqualTo(1);
        assertThat(price(2_500_000, 0, 0).costMicros(3, 0, 0, 0, 0)).isEqualTo(8);
    }

    @Test
    void nothing_used_costs_nothing() {
        assertThat(price(2_500_000, 10_000_000, 1_250_000).costMicros(0, 0, 0, 0, 0)).isZero();
    }

    @Test
    void cached_input_tokens_are_part_of_the_input_and_billed_at_the_cached_rate() {
        var gpt4o = price(2_500_000, 10_000_000, 1_250_000);
        // 1M input of which 400K from cache: 600K at $2.50/M + 400K at $1.25/M = $1.50 + $0.50.
        assertThat(gpt4o.costMicros(1_000_000, 0, 400_000, 0, 0)).isEqualTo(2_000_000);
        assertThat(gpt4o.costMicros(1_000_000, 0, 1_000_000, 0, 0)).isEqualTo(1_250_000);
    }

    @Test
    void more_cached_than_input_tokens_is_rejected() {
        var gpt4o = price(2_500_000, 10_000_000, 1_250_000);
        assertThatThrownBy(() -> gpt4o.costMicros(10, 0, 11, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cachedInputTokens");
    }

    @ParameterizedTest
    @CsvSource({"-1, 0, 0", "0, -1, 0", "0, 0, -1"})
    void negative_token_counts_are_rejected(long input, long output, long cachedInput) {
        var gpt4o = price(2_500_000, 10_000_000, 1_250_000);
        assertThatThrownBy(() -> gpt4o.costMicros(input, output, cachedInput, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_cost_that_does_not_fit_in_a_long_throws_instead_of_wrapping() {
        var expensive = price(Rates.PRICE_MICROS_PER_MILLION_MAX, Rates.PRICE_MICROS_PER_MILLION_MAX, 0);
        assertThatThrownBy(() -> expensive.costMicros(Long.MAX_VALUE / 2, 0, 0, 0, 0))
                .isInstanceOf(ArithmeticException.class);
        // Each product fits, their sum does not.
        long half = Long.MAX_VALUE / Rates.PRICE_MICROS_PER_MILLION_MAX;
        assertThatThrownBy(() -> expensive.costMicros(half, half, 0, 0, 0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void the_largest_price_costs_exactly_for_a_large_request() {
        var expensive = price(Rates.PRICE_MICROS_PER_MILLION_MAX, 0, 0);
        assertThat(expensive.costMicros(100_000_000, 0, 0, 0, 0)).isEqualTo(1_000_000_000_000L);
    }

    @ParameterizedTest
    @CsvSource({"-1, 0, 0", "0, -1, 0", "0, 0, -1", "10000000001, 0, 0"})
    void prices_out_of_range_are_rejected(long input, long output, long cachedInput) {
        assertThatThrownBy(() -> price(input, output, cachedInput)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void names_must_be_normalized_and_intervals_must_not_be_empty() {
        assertThatThrownBy(() -> new ModelPrice("OpenAI", "gpt-4o", ONE_EACH, START, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelPrice("openai", "gpt/4o", ONE_EACH, START, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelPrice("openai", "gpt-4o", ONE_EACH, START, START))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_interval_includes_its_start_and_excludes_its_end() {
        Instant end = START.plusSeconds(60);
        var closed = new ModelPrice("openai", "gpt-4o", ONE_EACH, START, end);
        assertThat(closed.isEffectiveAt(START.minusNanos(1))).isFalse();
        assertThat(closed.isEffectiveAt(START)).isTrue();
        assertThat(closed.isEffectiveAt(end.minusNanos(1))).isTrue();
        assertThat(closed.isEffectiveAt(end)).isFalse();
        assertThat(price(1, 1, 1).isEffectiveAt(Instant.parse("9999-01-01T00:00:00Z"))).isTrue();
    }

    /**
     * claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million tokens, and the
     * one-hour cache write at {@code oneHourWrite}.
     */
    private static ModelPrice sonnet(long oneHourWrite) {
        return new ModelPrice("anthropic", "claude-sonnet-4-5",
                new Rates(3_000_000, 15_000_000, 300_000, 3_750_000, oneHourWrite), START, null);
    }

    @Test
    void prompt_cache_writes_are_charged_the_cache_write_price_and_a_hold_assumes_every_input_token_is_one() {
        var sonnet = sonnet(3_750_000);

        assertThat(sonnet.costMicros(2_000, 100, 500, 1_000, 0)).isEqualTo(1_500 + 150 + 3_750 + 1_500);
        assertThat(sonnet.mostCostMicros(2_000, 100)).as("all 2,000 input tokens at the cache-write price")
                .isEqualTo(7_500 + 1_500);
        var gpt4o = price(2_500_000, 10_000_000, 1_250_000);
        assertThat(gpt4o.mostCostMicros(2_000, 100)).as("no dearer cache write: plain input")
                .isEqualTo(gpt4o.costMicros(2_000, 100, 0, 0, 0));
        assertThatThrownBy(() -> sonnet.costMicros(1_000, 0, 600, 500, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parts of inputTokens");
    }

    @Test
    void one_hour_cache_writes_are_charged_the_one_hour_price_and_a_hold_assumes_every_input_token_is_one() {
        var sonnet = sonnet(6_000_000);

        // 2,000 input: 500 plain, 1,500 written of which 1,000 for an hour; 100 output.
        assertThat(sonnet.costMicros(2_000, 100, 0, 1_500, 1_000)).isEqualTo(1_500 + 1_875 + 6_000 + 1_500);
        assertThat(sonnet.mostCostMicros(2_000, 100)).as("all 2,000 input tokens at the one-hour price")
                .isEqualTo(12_000 + 1_500);
        assertThatThrownBy(() -> sonnet.costMicros(2_000, 0, 0, 500, 501))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("part of cacheWriteInputTokens");
    }
}
