package dev.tollgate.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI and Anthropic as the gateway's tests see them: a real HTTP server on a local port that answers in
 * the providers' documented wire formats, byte for byte (JSON bodies, and SSE streams with OpenAI's final
 * usage chunk with {@code choices: []} and {@code data: [DONE]}, Anthropic's {@code event:} lines from
 * {@code message_start} to {@code message_stop}). A test picks the answer with a {@link Script} registered
 * under a marker that its request body contains, and reads back what reached the provider.
 */
final class FakeUpstream {

    static final FakeUpstream INSTANCE = start();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong IDS = new AtomicLong();

    private final HttpServer server;
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();

    private FakeUpstream(HttpServer server) {
        this.server = server;
    }

    private static FakeUpstream start() {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            var fake = new FakeUpstream(server);
            server.createContext("/", fake::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String baseUrl(String provider) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + provider + "/v1";
    }

    void script(String marker, Script script) {
        scripts.put(marker, script);
    }

    List<Received> received(String marker) {
        return List.copyOf(received.getOrDefault(marker, List.of()));
    }

    boolean cancelled(String marker) {
        return cancelled.getOrDefault(marker, false);
    }

    /** What one call brought to the provider; header names in lowercase. */
    record Received(String path, Map<String, String> headers, JsonNode body) {}

    /**
     * One answer: an error status with its body, or text pieces (streamed one per chunk, {@code pieceDelayMillis}
     * apart) and the usage to report. {@code headerDelayMillis} holds back even the response headers.
     */
    record Script(int status, String errorBody, long headerDelayMillis, List<String> pieces, long pieceDelayMillis,
            long inputTokens, long outputTokens, long cachedTokens, long cacheWriteTokens, long cacheWrite1hTokens, boolean incomplete) {

        static Script answer(long inputTokens, long outputTokens, String... pieces) {
            return new Script(200, "", 0, List.of(pieces), 0, inputTokens, outputTokens, 0, 0, 0, false);
        }

        static Script error(int status, String body) {
            return new Script(status, body, 0, List.of(), 0, 0, 0, 0, 0, 0, false);
        }

        Script cached(long tokens) {
            return new Script(status, errorBody, headerDelayMillis, pieces, pieceDelayMillis, inputTokens, outputTokens,
                    tokens, cacheWriteTokens, cacheWrite1hTokens, incomplete);
        }

        /** Of the input, {@code tokens} written to the prompt cache (Anthropic's cache_creation_input_tokens). */
        Script cacheWrites(long tokens) {
            return cacheWrites(tokens, 0);
        }

        /** {@code tokens} written to the prompt cache, {@code oneHour} of them with the one-hour TTL. */
        Script cacheWrites(long tokens, long oneHour) {
            return new Script(status, errorBody, headerDelayMillis, pieces, pieceDelayMillis, inputTokens, outputTokens,
                    cachedTokens, tokens, oneHour, incomplete);
        }

        Script slowPieces(long millis) {
            return new Script(status, errorBody, headerDelayMillis, pieces, millis, inputTokens, outputTokens,
                    cachedTokens, cacheWriteTokens, cacheWrite1hTokens, incomplete);
        }

        Script slowHeaders(long millis) {
            return new Script(status, errorBody, millis, pieces, pieceDelayMillis, inputTokens, outputTokens,
                    cachedTokens, cacheWriteTokens, cacheWrite1hTokens, incomplete);
        }

        /** A Responses stream that ends in {@code response.incomplete} (max_output_tokens reached). */
        Script endingIncomplete() {
            return new Script(status, errorBody, headerDelayMillis, pieces, pieceDelayMillis, inputTokens, outputTokens,
                    cachedTokens, cacheWriteTokens, cacheWrite1hTokens, true);
        }

        String text() {
            return String.join("", pieces);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String bodyText = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body = bodyText.isEmpty() ? JSON.createObjectNode() : JSON.readTree(bodyText);
            String marker = scripts.keySet().stream().filter(bodyText::contains).findFirst().orElse("");
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream().collect(Collectors.toMap(
                    entry -> entry.getKey().toLowerCase(Locale.ROOT), entry -> entry.getValue().getFirst()));
            String path = exchange.getRequestURI().getPath();
            received.computeIfAbsent(marker, key -> new CopyOnWriteArrayList<>()).add(new Received(path, headers, body));
            Script script = scripts.getOrDefault(marker, Script.answer(10, 5, "Hello", "!"));
            pause(script.headerDelayMillis());
            if (script.status() != 200) {
                send(exchange, script.status(), "application/json", script.errorBody());
                return;
            }
            String model = body.path("model").asString("");
            boolean stream = body.path("stream").asBoolean(false);
            try {
                switch (path) {
                    case "/openai/v1/chat/completions" -> {
                        if (stream) {
                            streamChat(exchange, script, model, body.path("stream_options").path("include_usage")
                                    .asBoolean(false));
                        } else {
                            send(exchange, 200, "application/json", chatCompletion(script, model));
                        }
                    }
                    case "/openai/v1/responses" -> {
                        if (stream) {
                            streamResponse(exchange, script, model);
                        } else {
                            send(exchange, 200, "application/json", response(script, model, "completed"));
                        }
                    }
                    case "/openai/v1/embeddings" -> send(exchange, 200, "application/json", embeddings(script, model,
                            body.path("encoding_format").asString("float").equals("base64")));
                    case "/anthropic/v1/messages" -> {
                        if (stream) {
                            streamMessage(exchange, script, model);
                        } else {
                            send(exchange, 200, "application/json", message(script, model));
                        }
                    }
                    case "/anthropic/v1/messages/count_tokens" ->
                            send(exchange, 200, "application/json", "{\"input_tokens\":" + script.inputTokens() + "}");
                    default -> send(exchange, 404, "application/json",
                            "{\"error\":{\"message\":\"Unknown path\",\"type\":\"invalid_request_error\",\"param\":null,"
                                    + "\"code\":\"unknown_url\"}}");
                }
            } catch (IOException clientGone) {
                cancelled.put(marker, true);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("x-request-id", "req_" + IDS.incrementAndGet());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    // ---- OpenAI Chat Completions -----------------------------------------------------------------------------

    private static String chatCompletion(Script script, String model) {
        return "{\"id\":\"chatcmpl-" + IDS.incrementAndGet() + "\",\"object\":\"chat.completion\",\"created\":1741569952,"
                + "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(script.text()) + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,"
                + "\"finish_reason\":\"stop\"}],\"usage\":" + chatUsage(script) + ",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_fc9f1d7035\"}";
    }

    private static String chatUsage(Script s) {
        return "{\"prompt_tokens\":" + s.inputTokens() + ",\"completion_tokens\":" + s.outputTokens()
                + ",\"total_tokens\":" + (s.inputTokens() + s.outputTokens()) + ",\"prompt_tokens_details\":"
                + "{\"cached_tokens\":" + s.cachedTokens() + ",\"audio_tokens\":0},\"completion_tokens_details\":"
                + "{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
                + "\"rejected_prediction_tokens\":0}}";
    }

    private void streamChat(HttpExchange exchange, Script script, String model, boolean includeUsage)
            throws IOException {
        OutputStream out = startStream(exchange);
        String head = "{\"id\":\"chatcmpl-" + IDS.incrementAndGet() + "\",\"object\":\"chat.completion.chunk\","
                + "\"created\":1741569952,\"model\":\"" + model + "\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_fc9f1d7035\",";
        String noUsage = includeUsage ? ",\"usage\":null" : "";
        var chunks = new ArrayList<String>();
        chunks.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":null}]" + noUsage + "}");
        for (String piece : script.pieces()) {
            chunks.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(piece) + "},\"logprobs\":null,"
                    + "\"finish_reason\":null}]" + noUsage + "}");
        }
        chunks.add(head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
                + noUsage + "}");
        if (includeUsage) {
            chunks.add(head + "\"choices\":[],\"usage\":" + chatUsage(script) + "}");
        }
        for (String chunk : chunks) {
            event(out, null, chunk, script.pieceDelayMillis());
        }
        event(out, null, "[DONE]", 0);
    }

    // ---- OpenAI Responses and Embeddings ---------------------------------------------------------------------

    private static String response(Script script, String model, String status) {
        return response(script, model, status, "{\"input_tokens\":" + script.inputTokens()
                + ",\"input_tokens_details\":{\"cached_tokens\":" + script.cachedTokens() + "},\"output_tokens\":"
                + script.outputTokens() + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":"
                + (script.inputTokens() + script.outputTokens()) + "}");
    }

    private static String response(Script script, String model, String status, String usage) {
        return "{\"id\":\"resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b\",\"object\":\"response\","
                + "\"created_at\":1741476542,\"status\":\"" + status + "\",\"error\":null,\"incomplete_details\":null,"
                + "\"instructions\":null,\"max_output_tokens\":null,\"model\":\"" + model + "\",\"output\":[{\"type\":"
                + "\"message\",\"id\":\"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b\",\"status\":\"completed\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":" + quote(script.text())
                + ",\"annotations\":[]}]}],\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":"
                + "{\"effort\":null,\"summary\":null},\"store\":true,\"temperature\":1.0,\"text\":{\"format\":{\"type\":"
                + "\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1.0,\"truncation\":\"disabled\",\"usage\":"
                + usage + ",\"user\":null,\"metadata\":{}}";
    }

    private void streamResponse(HttpExchange exchange, Script script, String model) throws IOException {
        OutputStream out = startStream(exchange);
        int sequence = 0;
        String created = response(script, model, "in_progress", "null");
        event(out, "response.created", "{\"type\":\"response.created\",\"response\":" + created
                + ",\"sequence_number\":" + sequence++ + "}", 0);
        for (String piece : script.pieces()) {
            event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"item_id\":"
                    + "\"msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b\",\"output_index\":0,\"content_index\":0,"
                    + "\"delta\":" + quote(piece) + ",\"logprobs\":[],\"sequence_number\":" + sequence++ + "}", script.pieceDelayMillis());
        }
        String end = script.incomplete() ? "incomplete" : "completed";
        event(out, "response." + end, "{\"type\":\"response." + end + "\",\"response\":"
                + response(script, model, end) + ",\"sequence_number\":" + sequence + "}", 0);
    }

    /** With {@code encoding_format: base64} (openai-java's default) the vector is little-endian float32, base64. */
    private static String embeddings(Script script, String model, boolean base64) {
        float[] vector = {0.0023064255f, -0.009327292f, -0.0028842222f};
        String embedding;
        if (base64) {
            var bytes = java.nio.ByteBuffer.allocate(vector.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float value : vector) {
                bytes.putFloat(value);
            }
            embedding = quote(java.util.Base64.getEncoder().encodeToString(bytes.array()));
        } else {
            embedding = "[0.0023064255,-0.009327292,-0.0028842222]";
        }
        return "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":" + embedding
                + "}],\"model\":\"" + model + "\",\"usage\":{\"prompt_tokens\":"
                + script.inputTokens() + ",\"total_tokens\":" + script.inputTokens() + "}}";
    }

    // ---- Anthropic Messages --------------------------------------------------------------------------------

    /** The input part of Anthropic's usage object: input_tokens counts neither cache reads nor cache writes. */
    private static String anthropicInput(Script script) {
        return "{\"input_tokens\":" + (script.inputTokens() - script.cachedTokens() - script.cacheWriteTokens())
                + ",\"cache_creation_input_tokens\":" + script.cacheWriteTokens() + ",\"cache_read_input_tokens\":"
                + script.cachedTokens() + ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":"
                + (script.cacheWriteTokens() - script.cacheWrite1hTokens()) + ",\"ephemeral_1h_input_tokens\":"
                + script.cacheWrite1hTokens() + "}";
    }

    private static String message(Script script, String model) {
        return "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
                + "\",\"content\":[{\"type\":\"text\",\"text\":" + quote(script.text()) + "}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null,\"usage\":" + anthropicInput(script)
                + ",\"output_tokens\":" + script.outputTokens() + ",\"service_tier\":\"standard\"}}";
    }

    private void streamMessage(HttpExchange exchange, Script script, String model) throws IOException {
        OutputStream out = startStream(exchange);
        long delay = script.pieceDelayMillis();
        event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"" + model + "\",\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":" + anthropicInput(script)
                + ",\"output_tokens\":1}}}", 0);
        event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
                + "\"text\":\"\"}}", 0);
        event(out, "ping", "{\"type\": \"ping\"}", 0);
        for (String piece : script.pieces()) {
            event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                    + "\"text\":" + quote(piece) + "}}", delay);
        }
        event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}", 0);
        event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":" + script.outputTokens() + "}}", 0);
        event(out, "message_stop", "{\"type\":\"message_stop\"}", 0);
    }

    // ---- SSE -------------------------------------------------------------------------------------------------

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("x-request-id", "req_" + IDS.incrementAndGet());
        exchange.sendResponseHeaders(200, 0);
        // Headers go out at once, as a provider's do, before the first event is ready.
        exchange.getResponseBody().flush();
        return exchange.getResponseBody();
    }

    private static void event(OutputStream out, String name, String data, long delayMillis) throws IOException {
        pause(delayMillis);
        String event = (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(String text) {
        return JSON.writeValueAsString(text);
    }
}
