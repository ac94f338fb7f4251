package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every statement is written whole, as a text block or a {@code .sql} file beside its store, so that what runs is
 * what a reader sees: no statement is formatted or concatenated at run time (a dropped space in a stitched
 * statement once broke the sweeper).
 */
class WholeStatementsTests {

    /** A text block formatted at run time, or a string joined to another to make a statement. */
    private static final Pattern STITCHED = Pattern.compile(
            "\"\"\"\\s*\\.formatted\\(|\\.sql\\(\\s*\"[^\"]*\"\\s*\\+|\\.sql\\(\\s*[A-Z_]+\\s*\\+|\\+\\s*\"\"\"");

    @Test
    void no_statement_is_stitched_together_at_run_time() throws IOException {
        List<String> stitched;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/dev/tollgate"))) {
            stitched = sources.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> STITCHED.matcher(read(p)).find())
                    .map(Path::toString)
                    .toList();
        }
        assertThat(stitched).isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
