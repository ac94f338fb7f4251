package dev.tollgate.client;

import java.util.List;

/** One page of a list as the API sends it: {@code {"data": [...], "next_cursor": "..."|null}}. */
record Page<T>(List<T> data, String nextCursor) {

    Page {
        data = data == null ? List.of() : List.copyOf(data);
    }
}
