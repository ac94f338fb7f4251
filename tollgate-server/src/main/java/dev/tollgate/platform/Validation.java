package dev.tollgate.platform;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request checks that name the offending field. Every failure is a 400 {@code validation_failed}
 * problem thrown before anything is written.
 */
public final class Validation {

    public static final int ACCOUNT_ID_LENGTH_MAX = 128;
    public static final int TEXT_LENGTH_MAX = 1000;
    public static final int SHORT_TEXT_LENGTH_MAX = 255;
    public static final long TOKENS_MAX = 100_000_000L;
    private static final Pattern ACCOUNT_ID = Pattern.compile("[^\\s/\\\\%;?#]+");
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("[\\p{Cntrl}&&[^\\t]]");

    private Validation() {}

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(PlatformProblem.VALIDATION_FAILED, field + ": " + message,
                Map.of("field", field, "errors", List.of(Map.of("field", field, "message", message))));
    }

    public static void check(boolean valid, String field, String message) {
        if (!valid) {
            throw invalid(field, message);
        }
    }

    public static <T> T required(@Nullable T value, String field) {
        if (value == null) {
            throw invalid(field, "is required");
        }
        return value;
    }

    /** An identifier: 1..max characters, no control characters, no surrounding whitespace. */
    public static String id(@Nullable String value, String field, int max) {
        String id = required(value, field);
        check(!id.isEmpty() && id.length() <= max, field, "must be 1 to " + max + " characters");
        check(id.strip().equals(id), field, "must not start or end with whitespace");
        check(!CONTROL_CHARACTERS.matcher(id).find(), field, "must not contain control characters");
        return id;
    }

    public static @Nullable String optionalText(@Nullable String value, String field, int max) {
        if (value == null) {
            return null;
        }
        check(value.length() <= max, field, "must be at most " + max + " characters");
        check(value.indexOf('\u0000') < 0, field, "must not contain NUL characters");
        return value;
    }

    public static long tokens(@Nullable Long value, String field) {
        long tokens = required(value, field);
        check(tokens >= 0, field, "must not be negative");
        check(tokens <= TOKENS_MAX, field, "must be at most " + TOKENS_MAX);
        return tokens;
    }

    public static long optionalTokens(@Nullable Long value, String field, long fallback) {
        return value == null ? fallback : tokens(value, field);
    }

    /** Parses a USD amount string; negative amounts are refused unless allowed. */
    public static long money(@Nullable String value, String field, boolean allowNegative) {
        String text = required(value, field);
        check(text.length() <= 32, field, "must be a decimal amount like \"10.00\"");
        long micros;
        try {
            micros = dev.tollgate.shared.Money.parseMicros(text);
        } catch (IllegalArgumentException e) {
            throw invalid(field, e.getMessage());
        }
        check(allowNegative || micros >= 0, field, "must not be negative");
        return micros;
    }

    /** Metadata is a JSON object of bounded size and depth ({@link Metadata}); absent is empty. */
    public static Map<String, Object> metadata(@Nullable Map<String, Object> metadata, String field) {
        Metadata.validate(metadata, field);
        return metadata == null ? Map.of() : metadata;
    }

    /** The size in bytes of a value written as JSON. */
    public static long jsonSize(Object value) {
        return JsonMapper.shared().writeValueAsBytes(value).length;
    }

    /**
     * An account id: an identifier that can also stand in a URL path segment, so characters that
     * proxies, the servlet container or the firewall treat specially there are refused.
     */
    public static String accountId(@Nullable String value, String field) {
        String id = id(value, field, ACCOUNT_ID_LENGTH_MAX);
        check(ACCOUNT_ID.matcher(id).matches(), field,
                "may not contain whitespace or any of / \\ % ; ? #");
        return id;
    }
}
