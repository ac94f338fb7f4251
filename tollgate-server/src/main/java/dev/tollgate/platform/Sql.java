package dev.tollgate.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Helpers of the modules' stores. A statement too long for a text block lives in a {@code .sql} file beside
 * the store that runs it (the same package, under resources), written whole: the SQL run is the SQL read,
 * and the bench can run the very same text.
 */
public final class Sql {

    private Sql() {}

    /** The statement in the resource {@code name} beside {@code store}; a missing file is a broken build. */
    public static String file(Class<?> store, String name) {
        try (InputStream in = store.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing SQL resource " + name + " beside " + store.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
