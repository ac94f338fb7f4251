package dev.tollgate.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** A list endpoint as one Iterable: the next page is fetched when the previous one is used up. */
final class Pages<T> implements Iterable<T> {

    private final Function<String, Page<T>> fetch;

    /** @param fetch fetches the page after a cursor ({@code null} for the first) */
    Pages(Function<String, Page<T>> fetch) {
        this.fetch = fetch;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Page<T> page = fetch.apply(null);
            private int next;

            @Override
            public boolean hasNext() {
                while (next >= page.data().size() && page.nextCursor() != null) {
                    page = fetch.apply(page.nextCursor());
                    next = 0;
                }
                return next < page.data().size();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.data().get(next++);
            }
        };
    }
}
