package dev.tollgate.event;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A Server-Sent Events client as a browser's EventSource behaves, reading on its own thread. */
final class SseClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Message> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private final Thread reader;
    private volatile boolean finished;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseClient connect(String url, String bearer, @Nullable String lastEventId) {
        var request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The whole body of a response that is not a stream (a problem), once it has been read. */
    String body() throws InterruptedException {
        reader.join(Duration.ofSeconds(5));
        return body.toString();
    }

    @Nullable Message next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<String> comments() {
        return List.copyOf(comments);
    }

    /** Whether the server ended the stream. */
    boolean finished() {
        return finished;
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try (var lines = response.body()) {
            for (var iterator = lines.iterator(); iterator.hasNext(); ) {
                String line = iterator.next();
                body.append(line).append('\n');
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Message(id, event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (RuntimeException e) {
            // Closed by the test or reset by the server.
        }
        finished = true;
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }

    record Message(@Nullable String id, @Nullable String event, String data) {}
}
