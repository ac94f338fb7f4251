package dev.tollgate.example;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A chat endpoint metered by Tollgate. Without {@code OPENAI_API_KEY} it talks to {@link FakeModel},
 * served by this same application, so a newcomer needs nothing but a running Tollgate.
 */
@SpringBootApplication
public class ChatApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(ChatApplication.class);
        if (System.getenv("OPENAI_API_KEY") == null) {
            application.setDefaultProperties(fakeModel());
        }
        application.run(args);
    }

    /** Spring AI's OpenAI client pointed at the fake model on this application's own port. */
    static Map<String, Object> fakeModel() {
        return Map.of("example.fake-model.enabled", "true",
                "spring.ai.openai.api-key", "sk-fake-model",
                "spring.ai.openai.base-url", "http://127.0.0.1:${server.port:8081}/fake-openai/v1");
    }
}
