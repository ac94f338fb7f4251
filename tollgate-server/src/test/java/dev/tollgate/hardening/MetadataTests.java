package dev.tollgate.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.platform.Metadata;
import dev.tollgate.platform.ProblemException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTests {

    private static ProblemException rejection(Map<String, ?> metadata) {
        return catchThrowableOfType(ProblemException.class, () -> Metadata.validate(metadata, "metadata"));
    }

    @Test
    void ordinary_metadata_and_none_pass() {
        assertThatCode(() -> Metadata.validate(null, "metadata")).doesNotThrowAnyException();
        assertThatCode(() -> Metadata.validate(Map.of("job", "review", "attempt", 2, "tags", List.of("a", "b"),
                "nested", Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1))))), "metadata"))
                .doesNotThrowAnyException();
    }

    @Test
    void nesting_deeper_than_five_levels_names_the_field() {
        var problem = rejection(Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", Map.of("f", 1)))))));
        assertThat(problem.problem().getStatus()).isEqualTo(400);
        assertThat(problem.problem().getProperties()).containsEntry("code", "validation_failed")
                .containsEntry("field", "metadata.a.b.c.d.e");
        assertThat(rejection(Map.of("a", List.of(List.of(List.of(List.of(List.of(1))))))).problem().getProperties())
                .containsEntry("field", "metadata.a[0][0][0][0]");
    }

    @Test
    void more_than_sixteen_kib_is_refused() {
        var big = new HashMap<String, Object>();
        for (int i = 0; i < 200; i++) {
            big.put("key" + i, "v".repeat(100));
        }
        assertThat(rejection(big).problem().getProperties()).containsEntry("field", "metadata");
        assertThat(Metadata.SIZE_MAX).isEqualTo(16 * 1024);
    }

    @Test
    void keys_are_one_to_a_hundred_characters_without_nul() {
        assertThat(rejection(Map.of("k".repeat(101), 1)).problem().getProperties()).containsEntry("field", "metadata");
        assertThat(rejection(Map.of("", 1))).isNotNull();
        assertThat(rejection(Map.of("a", Map.of("b\0", 1))).problem().getProperties())
                .containsEntry("field", "metadata.a");
        assertThatCode(() -> Metadata.validate(Map.of("k".repeat(100), 1), "metadata")).doesNotThrowAnyException();
    }

    @Test
    void strings_must_not_hold_nul_which_postgres_cannot_store() {
        assertThat(rejection(Map.of("note", List.of("ok", "bad\0"))).problem().getProperties())
                .containsEntry("field", "metadata.note[1]");
    }
}
