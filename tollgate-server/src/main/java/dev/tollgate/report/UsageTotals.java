package dev.tollgate.report;

/** Usage summed for one day ("2026-11-21") or one model ("openai/gpt-4o"). */
public record UsageTotals(String key, long requests, long inputTokens, long outputTokens, long cachedInputTokens,
        long totalTokens, long costMicros) {}
