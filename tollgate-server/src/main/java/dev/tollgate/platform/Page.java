package dev.tollgate.platform;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** One page of a list: {@code {"data": [...], "next_cursor": "..."|null}}. */
public record Page<T>(List<T> data, @Nullable String nextCursor) {

    public static final int PAGE_SIZE_DEFAULT = 50;
    public static final int PAGE_SIZE_MAX = 200;

    public Page {
        data = List.copyOf(data);
    }

    /** The page size asked for, checked against {@link #PAGE_SIZE_MAX}. */
    public static int size(@Nullable Integer limit) {
        if (limit == null) {
            return PAGE_SIZE_DEFAULT;
        }
        if (limit < 1 || limit > PAGE_SIZE_MAX) {
            throw new ProblemException(PlatformProblem.INVALID_PARAMETER,
                    "limit must be between 1 and " + PAGE_SIZE_MAX + ".", Map.of("field", "limit"));
        }
        return limit;
    }

    /**
     * Builds a page from up to {@code size + 1} rows: the extra row only tells that there is a next
     * page, whose cursor is the last returned row's key.
     */
    public static <T> Page<T> of(List<T> rows, int size, Function<T, String> cursorOf) {
        if (rows.size() <= size) {
            return new Page<>(rows, null);
        }
        List<T> page = rows.subList(0, size);
        return new Page<>(page, cursorOf.apply(page.getLast()));
    }
}
