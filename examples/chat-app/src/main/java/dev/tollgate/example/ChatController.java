package dev.tollgate.example;

import dev.tollgate.client.AccountSummary;
import dev.tollgate.client.DenialException;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.spring.TollgateAdvisor;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /chat {"user": "demo", "message": "Hi"}} answers from the model; Tollgate's advisor on the
 * ChatClient reserves before and commits after, and a denial comes back as 402 with the seed's message.
 */
@RestController
class ChatController {

    record ChatRequest(String user, String message) {}

    record ChatAnswer(String answer, long tokensUsed, Long tokensRemaining) {}

    record Denied(String error, String reason) {}

    private final ChatClient chat;
    private final TollgateClient tollgate;

    ChatController(ChatClient.Builder chats, TollgateClient tollgate) {
        this.chat = chats.build();
        this.tollgate = tollgate;
    }

    @PostMapping("/chat")
    ChatAnswer chat(@RequestBody ChatRequest request) {
        String answer = chat.prompt().user(request.message())
                .advisors(advisor -> advisor.param(TollgateAdvisor.ACCOUNT_ID, request.user()))
                .call().content();
        AccountSummary summary = tollgate.account(request.user());
        return new ChatAnswer(answer, summary.tokens().used(), summary.tokens().remaining());
    }

    @GetMapping("/usage/{user}")
    AccountSummary usage(@PathVariable String user) {
        return tollgate.account(user);
    }

    @ExceptionHandler(DenialException.class)
    ResponseEntity<Denied> denied(DenialException denied) {
        return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED)
                .body(new Denied(denied.getMessage(), denied.reason().code()));
    }
}
