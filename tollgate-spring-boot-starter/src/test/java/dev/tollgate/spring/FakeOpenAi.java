package dev.tollgate.spring;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * OpenAI's Chat Completions endpoint as a real HTTP server, answering in OpenAI's wire format byte for
 * byte: a {@code chat.completion} object, or with {@code "stream": true} the {@code chat.completion.chunk}
 * events, the finish reason's chunk, then (with {@code stream_options.include_usage}) the usage chunk
 * whose {@code choices} is empty, then {@code data: [DONE]}.
 */
final class FakeOpenAi implements AutoCloseable {

    static final String MODEL = "gpt-4o-2024-08-06";
    static final long PROMPT_TOKENS = 19;
    static final long COMPLETION_TOKENS = 10;
    static final long TOOL_CALL_PROMPT_TOKENS = 50;
    static final long TOOL_CALL_COMPLETION_TOKENS = 15;

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    FakeOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL as OpenAI's SDKs take it, {@code /v1} included. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Points Spring AI's OpenAI chat model at this fake. */
    void register(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.openai.base-url", this::baseUrl);
        registry.add("spring.ai.openai.api-key", () -> "sk-test-not-a-real-key");
        registry.add("spring.ai.openai.chat.options.model", () -> "gpt-4o");
        // A failed call must fail at once: the SDK's own retries would only slow the test down.
        registry.add("spring.ai.openai.max-retries", () -> "0");
    }

    /** The bodies of the requests that reached the fake. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** While failing, every call is answered 500 with OpenAI's error object. */
    void failing(boolean fail) {
        this.failing = fail;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(body);
        if (failing) {
            send(exchange, 500, "application/json", """
                    {
                      "error": {
                        "message": "The server had an error while processing your request. Sorry about that!",
                        "type": "server_error",
                        "param": null,
                        "code": null
                      }
                    }
                    """);
        } else if (body.contains("\"tools\"") && !body.replace(" ", "").contains("\"role\":\"tool\"")) {
            // The first round trip of a tool loop: the model asks for the tool, the client runs it and asks again.
            send(exchange, 200, "application/json", toolCall());
        } else if (body.replace(" ", "").contains("\"stream\":true")) {
            stream(exchange, body.replace(" ", "").contains("\"include_usage\":true"));
        } else {
            send(exchange, 200, "application/json", """
                    {
                      "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
                      "object": "chat.completion",
                      "created": 1741569952,
                      "model": "%s",
                      "choices": [
                        {
                          "index": 0,
                          "message": {
                            "role": "assistant",
                            "content": "Hello! How can I assist you today?",
                            "refusal": null,
                            "annotations": []
                          },
                          "logprobs": null,
                          "finish_reason": "stop"
                        }
                      ],
                      "usage": {
                        "prompt_tokens": %d,
                        "completion_tokens": %d,
                        "total_tokens": %d,
                        "prompt_tokens_details": {
                          "cached_tokens": 0,
                          "audio_tokens": 0
                        },
                        "completion_tokens_details": {
                          "reasoning_tokens": 0,
                          "audio_tokens": 0,
                          "accepted_prediction_tokens": 0,
                          "rejected_prediction_tokens": 0
                        }
                      },
                      "service_tier": "default",
                      "system_fingerprint": "fp_fc9f1d7035"
                    }
                    """.formatted(MODEL, PROMPT_TOKENS, COMPLETION_TOKENS, PROMPT_TOKENS + COMPLETION_TOKENS));
        }
    }

    private static String toolCall() {
        return """
                {
                  "id": "chatcmpl-tool-1",
                  "object": "chat.completion",
                  "created": 1741569952,
                  "model": "%s",
                  "choices": [
                    {
                      "index": 0,
                      "message": {
                        "role": "assistant",
                        "content": null,
                        "tool_calls": [
                          {
                            "id": "call_abc123",
                            "type": "function",
                            "function": {
                              "name": "currentWeather",
                              "arguments": "{\\"city\\":\\"Paris\\"}"
                            }
                          }
                        ],
                        "refusal": null,
                        "annotations": []
                      },
                      "logprobs": null,
                      "finish_reason": "tool_calls"
                    }
                  ],
                  "usage": {
                    "prompt_tokens": %d,
                    "completion_tokens": %d,
                    "total_tokens": %d,
                    "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                    "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
                  },
                  "service_tier": "default",
                  "system_fingerprint": "fp_fc9f1d7035"
                }
                """.formatted(MODEL, TOOL_CALL_PROMPT_TOKENS, TOOL_CALL_COMPLETION_TOKENS,
                TOOL_CALL_PROMPT_TOKENS + TOOL_CALL_COMPLETION_TOKENS);
    }

    private static void stream(HttpExchange exchange, boolean includeUsage) throws IOException {
        String head = "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
                + "\"model\":\"" + MODEL + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_44709d6fcb\",";
        String noUsage = includeUsage ? ",\"usage\":null" : "";
        List<String> events = new java.util.ArrayList<>(List.of(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                        + "\"logprobs\":null,\"finish_reason\":null}]" + noUsage + "}",
                head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]" + noUsage + "}",
                head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"logprobs\":null,"
                        + "\"finish_reason\":null}]" + noUsage + "}",
                head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
                        + noUsage + "}"));
        if (includeUsage) {
            events.add(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
                    + ",\"completion_tokens\":" + COMPLETION_TOKENS + ",\"total_tokens\":"
                    + (PROMPT_TOKENS + COMPLETION_TOKENS) + ",\"prompt_tokens_details\":{\"cached_tokens\":0,"
                    + "\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                    + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (String event : events) {
                out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
