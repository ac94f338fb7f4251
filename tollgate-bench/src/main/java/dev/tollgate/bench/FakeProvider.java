package dev.tollgate.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * OpenAI Chat Completions as the gateway scenarios' upstream: every answer after a fixed think time, whole or
 * streamed (five content chunks, the usage chunk, {@code [DONE]}). A request whose body holds {@link #HOLD}
 * is streamed slowly, one chunk every {@link #HOLD_CHUNK_INTERVAL}, to keep many streams open at once.
 */
final class FakeProvider implements AutoCloseable {

    static final String HOLD = "hold-the-stream-open";
    static final Duration HOLD_CHUNK_INTERVAL = Duration.ofSeconds(1);
    static final int HOLD_CHUNKS = 10;
    private static final String CHUNK_HEAD = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1741569952,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_bench\",";
    private static final String USAGE = "{\"prompt_tokens\":400,\"completion_tokens\":350,\"total_tokens\":750,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0}}";
    private static final byte[] COMPLETION = ("{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":"
            + "1741569952,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"Hello there, how can I help?\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":"
            + "\"stop\"}],\"usage\":" + USAGE + "}").getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final Duration thinkTime;

    private FakeProvider(HttpServer server, Duration thinkTime) {
        this.server = server;
        this.thinkTime = thinkTime;
    }

    static FakeProvider start(Duration thinkTime) throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        var fake = new FakeProvider(server, thinkTime);
        server.createContext("/v1/chat/completions", fake::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return fake;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            sleep(thinkTime);
            if (!body.contains("\"stream\":true")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, COMPLETION.length);
                exchange.getResponseBody().write(COMPLETION);
                return;
            }
            boolean hold = body.contains(HOLD);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            int chunks = hold ? HOLD_CHUNKS : 5;
            for (int i = 0; i < chunks; i++) {
                if (hold && i > 0) {
                    sleep(HOLD_CHUNK_INTERVAL);
                }
                event(out, CHUNK_HEAD + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i
                        + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
            }
            event(out, CHUNK_HEAD + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":"
                    + "\"stop\"}],\"usage\":null}");
            event(out, CHUNK_HEAD + "\"choices\":[],\"usage\":" + USAGE + "}");
            event(out, "[DONE]");
        } catch (IOException clientGone) {
            // A client that left mid-stream; nothing to answer.
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
