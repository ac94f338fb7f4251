package dev.tollgate.platform;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The limits of client-supplied JSON metadata (on accounts, ledger entries, reservations and usage):
 * an object of at most {@link #SIZE_MAX} bytes serialized, nested at most {@link #DEPTH_MAX} levels,
 * keys of 1 to {@link #KEY_LENGTH_MAX} characters, and no U+0000 anywhere (PostgreSQL's jsonb cannot
 * hold it). Call {@link #validate} before writing anything, so a violation changes nothing.
 */
public final class Metadata {

    /** 16 KiB of compact JSON: room for ids and labels, not for documents. */
    public static final int SIZE_MAX = 16 * 1024;
    /** The metadata object itself is level 1. */
    public static final int DEPTH_MAX = 5;
    public static final int KEY_LENGTH_MAX = 100;

    private Metadata() {}

    /**
     * Throws a 400 {@code validation_failed} problem naming the offending field (for example
     * {@code metadata.labels[2]}) when {@code metadata} breaks a limit; null means "none given" and passes.
     */
    public static void validate(@Nullable Map<String, ?> metadata, String field) {
        if (metadata == null) {
            return;
        }
        check(metadata, field, 1);
        int size = JsonMapper.shared().writeValueAsBytes(metadata).length;
        if (size > SIZE_MAX) {
            throw invalid(field, "must be at most " + SIZE_MAX + " bytes as JSON, was " + size);
        }
    }

    private static void check(@Nullable Object value, String path, int depth) {
        switch (value) {
            case null -> { }
            case Map<?, ?> object -> {
                if (depth > DEPTH_MAX) {
                    throw invalid(path, "nests deeper than " + DEPTH_MAX + " levels");
                }
                for (var entry : object.entrySet()) {
                    if (!(entry.getKey() instanceof String key) || key.isEmpty() || key.length() > KEY_LENGTH_MAX) {
                        throw invalid(path, "keys must be 1 to " + KEY_LENGTH_MAX + " characters");
                    }
                    if (key.indexOf('\0') >= 0) {
                        throw invalid(path, "keys must not contain U+0000");
                    }
                    check(entry.getValue(), path + "." + key, depth + 1);
                }
            }
            case List<?> array -> {
                if (depth > DEPTH_MAX) {
                    throw invalid(path, "nests deeper than " + DEPTH_MAX + " levels");
                }
                for (int i = 0; i < array.size(); i++) {
                    check(array.get(i), path + "[" + i + "]", depth + 1);
                }
            }
            case String text -> {
                if (text.indexOf('\0') >= 0) {
                    throw invalid(path, "must not contain U+0000");
                }
            }
            case Number ignored -> { }
            case Boolean ignored -> { }
            default -> throw invalid(path, "must be a JSON value");
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(PlatformProblem.VALIDATION_FAILED, field + ": " + message,
                Map.of("field", field, "errors", List.of(Map.of("field", field, "message", message))));
    }
}
