package dev.tollgate.example;

import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for OpenAI's Chat Completions endpoint (non-streaming), in OpenAI's own format. It reports
 * a long answer's usage (500 completion tokens) so that a small allowance runs out in a few messages.
 */
@RestController
@ConditionalOnProperty(name = "example.fake-model.enabled", havingValue = "true")
class FakeModel {

    static final long COMPLETION_TOKENS = 500;

    @PostMapping(path = "/fake-openai/v1/chat/completions", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> complete(@RequestBody Map<String, Object> request) {
        long promptTokens = String.valueOf(request.get("messages")).length() / 4 + 1;
        Map<String, Object> message = Map.of("role", "assistant",
                "content", "This answer comes from the example's fake model; set OPENAI_API_KEY for a real one.");
        return ResponseEntity.ok(Map.of(
                "id", "chatcmpl-fake",
                "object", "chat.completion",
                "created", System.currentTimeMillis() / 1000,
                "model", String.valueOf(request.getOrDefault("model", "gpt-4o")),
                "choices", List.of(Map.of("index", 0, "message", message, "finish_reason", "stop")),
                "usage", Map.of("prompt_tokens", promptTokens, "completion_tokens", COMPLETION_TOKENS,
                        "total_tokens", promptTokens + COMPLETION_TOKENS)));
    }
}
