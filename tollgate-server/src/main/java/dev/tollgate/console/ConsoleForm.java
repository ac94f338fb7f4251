package dev.tollgate.console;

import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.UnknownFields;
import dev.tollgate.platform.Validation;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A submitted console form: its fields as typed (without the CSRF token and the confirmation nonce), read
 * with the API's own checks, so that bad input gets the same message as from the API, next to its field.
 * {@code known} names the fields the form has besides the reason every action asks for; any other field is
 * refused as the API refuses an unknown JSON field.
 */
record ConsoleForm(String name, Map<String, String> fields, Set<String> known) {

    private static final List<String> NOT_FIELDS = List.of("_csrf", "nonce");
    private static final String REASON = "reason";

    ConsoleForm {
        var kept = new LinkedHashMap<String, String>();
        fields.forEach((key, value) -> {
            if (!NOT_FIELDS.contains(key)) {
                kept.put(key, value);
            }
        });
        fields = Collections.unmodifiableMap(kept);
        var withReason = new HashSet<>(known);
        withReason.add(REASON);
        known = Set.copyOf(withReason);
    }

    ConsoleForm(String name, Map<String, String> fields, String... known) {
        this(name, fields, Set.of(known));
    }

    /** Refuses the form when it carries a field the form does not have: 400 {@code unknown_field}. */
    void refuseUnknownFields() {
        UnknownFields.refuse(fields.keySet(), known);
    }

    /** The field's text without surrounding whitespace; null when blank or absent. */
    @Nullable String text(String field) {
        String value = fields.get(field);
        return value == null || value.isBlank() ? null : value.strip();
    }

    String required(String field) {
        return Validation.required(text(field), field);
    }

    /** The operator's reason for the action: required, as the issue asks of every action. */
    String reason() {
        return Validation.id(text(REASON), REASON, Validation.TEXT_LENGTH_MAX);
    }

    long wholeNumber(String field) {
        String value = required(field).replace(",", "").replace("_", "");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Validation.invalid(field, "must be a whole number");
        }
    }

    @Nullable Long optionalWholeNumber(String field) {
        return text(field) == null ? null : wholeNumber(field);
    }

    boolean checked(String field) {
        return "on".equals(fields.get(field)) || "true".equals(fields.get(field));
    }

    /** The problem's message keyed by this form and its field, for the page to place next to the field. */
    Map<String, String> errors(ProblemException problem) {
        var properties = problem.problem().getProperties();
        Object field = properties == null ? null : properties.get("field");
        String message = problem.problem().getDetail() == null ? problem.problem().getTitle()
                : problem.problem().getDetail();
        if (properties != null && properties.get("errors") instanceof List<?> errors && !errors.isEmpty()
                && errors.getFirst() instanceof Map<?, ?> first && first.get("message") != null) {
            message = String.valueOf(first.get("message"));
        }
        String key = field == null || !known.contains(String.valueOf(field)) ? name : name + "." + field;
        return Map.of(key, String.valueOf(message));
    }

    /** The submitted values keyed as the errors are, so that a refused form keeps what was typed. */
    Map<String, String> values() {
        var values = new LinkedHashMap<String, String>();
        fields.forEach((key, value) -> values.put(name + "." + key, value));
        return values;
    }
}
