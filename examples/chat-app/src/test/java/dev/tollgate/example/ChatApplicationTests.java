package dev.tollgate.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.client.RealTollgate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example as a newcomer runs it: the fake model, a real Tollgate, and a denial on the fourth message. */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ChatApplicationTests {

    private static final RealTollgate TOLLGATE = RealTollgate.instance();
    private static final int PORT = freePort();
    private static final String USER = RealTollgate.newAccountId("demo");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ChatApplication.fakeModel().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("server.port", () -> PORT);
        registry.add("tollgate.client.base-url", TOLLGATE::baseUrl);
        registry.add("tollgate.client.api-key", () -> RealTollgate.ADMIN_KEY);
        registry.add("example.demo.user", () -> USER);
    }

    @Test
    void the_demo_user_is_answered_three_times_then_denied_with_the_seed_message()
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/chat"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"" + USER + "\", \"message\": \"Hi\"}"))
                    .build();
            answers.add(http.send(request, HttpResponse.BodyHandlers.ofString()));
        }

        assertThat(answers.subList(0, 3)).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("fake model");
        });
        assertThat(answers.get(3).statusCode()).isEqualTo(402);
        assertThat(answers.get(3).body()).contains("Insufficient tokens. You have ", " tokens remaining, but this "
                + "request needs ~", "\"reason\":\"insufficient_tokens\"");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
