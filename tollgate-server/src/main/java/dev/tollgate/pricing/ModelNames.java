package dev.tollgate.pricing;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The spelling of provider and model names in the catalog: lowercase, a safe charset that can be a
 * URL path segment, and bounded lengths. The same patterns are CHECK constraints on model_price.
 */
final class ModelNames {

    static final int PROVIDER_LENGTH_MAX = 64;
    static final int MODEL_LENGTH_MAX = 128;

    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (PROVIDER_LENGTH_MAX - 1) + "}");
    private static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9._:-]{0," + (MODEL_LENGTH_MAX - 1) + "}");

    private ModelNames() {}

    /** Names are compared case-insensitively and without surrounding blanks. */
    static String normalize(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    static boolean isProvider(String name) {
        return PROVIDER.matcher(name).matches();
    }

    static boolean isModel(String name) {
        return MODEL.matcher(name).matches();
    }

    /** Normalizes {@code name} and checks it, naming the rule it breaks. */
    static String provider(String name) {
        String normalized = normalize(name);
        if (!isProvider(normalized)) {
            throw new IllegalArgumentException("must be 1 to " + PROVIDER_LENGTH_MAX
                    + " characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        return normalized;
    }

    /** Normalizes {@code name} and checks it, naming the rule it breaks. */
    static String model(String name) {
        String normalized = normalize(name);
        if (!isModel(normalized)) {
            throw new IllegalArgumentException("must be 1 to " + MODEL_LENGTH_MAX
                    + " characters of a-z, 0-9, '.', '_', ':' or '-', starting with a letter or digit");
        }
        return normalized;
    }
}
