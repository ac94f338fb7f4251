package dev.tollgate.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Names the field a caller probably meant when a request carries one Tollgate does not know. A silently
 * ignored {@code "pln": "pro"} would put an account on the default plan: money on the wrong account. So
 * unknown fields are refused, and the refusal points at the fix, as Stripe's "Did you mean plan?" does.
 */
public final class UnknownFields {

    /** How far a misspelling may be from the field it meant: two edits catch a dropped and a swapped letter. */
    static final int SUGGESTION_DISTANCE_MAX = 2;
    private static final String CSRF_PARAMETER = "_csrf";

    private UnknownFields() {}

    /**
     * Refuses the first of {@code submitted} that is not among {@code known}: a 400 {@code unknown_field} that
     * names it and, when one is near, the field it probably meant. For form posts, whose names Jackson never
     * sees; JSON bodies are refused while they are parsed.
     */
    public static void refuse(Collection<String> submitted, Collection<String> known) {
        for (String field : submitted) {
            if (!known.contains(field)) {
                var suggestion = suggestion(field, known);
                throw new ProblemException(PlatformProblem.UNKNOWN_FIELD, message(field, suggestion),
                        suggestion.<Map<String, String>>map(meant -> Map.of("field", field, "suggestion", meant))
                                .orElse(Map.of("field", field)));
            }
        }
    }

    /**
     * Refuses a form post that carries a parameter the form does not have. Spring Security's CSRF token is
     * no field of any form, so it is never refused.
     */
    public static void refuseForm(HttpServletRequest form, Collection<String> known) {
        var submitted = new ArrayList<>(form.getParameterMap().keySet());
        submitted.remove(CSRF_PARAMETER);
        refuse(submitted, known);
    }

    /**
     * The known field closest to {@code unknown}: the same name in snake_case ({@code accountId} for
     * {@code account_id}), else the nearest within {@link #SUGGESTION_DISTANCE_MAX} edits, the
     * alphabetically first of equally near ones.
     */
    static Optional<String> suggestion(String unknown, Collection<String> known) {
        String snakeCase = unknown.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        if (!snakeCase.equals(unknown) && known.contains(snakeCase)) {
            return Optional.of(snakeCase);
        }
        return known.stream()
                .filter(candidate -> distance(unknown, candidate) <= SUGGESTION_DISTANCE_MAX)
                .min(Comparator.<String>comparingInt(candidate -> distance(unknown, candidate))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** The path of the field probably meant: {@code accounts[1].email} for {@code accounts[1].emial}. */
    static Optional<String> suggestedPath(String path, String unknown, Collection<String> known) {
        String parent = path.endsWith(unknown) ? path.substring(0, path.length() - unknown.length()) : "";
        return suggestion(unknown, known).map(meant -> parent + meant);
    }

    /** "Unknown field 'pln'. Did you mean 'plan'?", with the field's path inside the body. */
    static String message(String path, Optional<String> suggestedPath) {
        return "Unknown field '" + path + "'." + suggestedPath.map(meant -> " Did you mean '" + meant + "'?").orElse("");
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
     * letters ({@code descritpion}) each count one edit.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int substitution = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + substitution);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
