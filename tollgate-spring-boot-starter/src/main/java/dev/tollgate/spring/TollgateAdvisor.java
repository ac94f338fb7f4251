package dev.tollgate.spring;

import dev.tollgate.client.Reservation;
import dev.tollgate.client.ReserveRequest;
import dev.tollgate.client.TollgateClient;
import dev.tollgate.client.TollgateException;
import dev.tollgate.client.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reserves before each model call, commits what the model reported after it, releases when the call
 * fails. A denial stops the call before the model is reached and is thrown as the client's
 * {@link dev.tollgate.client.DenialException}, whose message is the one to show the user.
 *
 * <p>The estimate is the prompt's messages (Tollgate counts them with the model's tokenizer) plus the
 * options' max tokens (Tollgate's default output reserve without). The account is the call's
 * {@link #ACCOUNT_ID} parameter, else the {@link TollgateAccountResolver}'s answer.
 *
 * <p>Order: by default this advisor runs inside Spring AI's {@link ToolCallingAdvisor}, so each round trip
 * of a tool loop is one reservation and one commit of exactly that round trip's usage, and a budget that
 * runs out mid-loop stops the loop. Ordered before the tool-calling advisor (any order below
 * {@link ToolCallingAdvisor#DEFAULT_ORDER}) it would reserve once per user call, but then see only the
 * final round trip's usage.
 */
public final class TollgateAdvisor implements CallAdvisor, StreamAdvisor {

    /** The advisor parameter naming the account: {@code .advisors(a -> a.param(TollgateAdvisor.ACCOUNT_ID, id))}. */
    public static final String ACCOUNT_ID = "tollgate_account_id";

    /** Optional: the conversation, for plans that count conversations (seed 004). */
    public static final String CONVERSATION_ID = "tollgate_conversation_id";

    /** Inside the tool-calling advisor: one reservation per model round trip. */
    public static final int DEFAULT_ORDER = ToolCallingAdvisor.DEFAULT_ORDER + 100;

    private static final Log LOG = LogFactory.getLog(TollgateAdvisor.class);

    private final TollgateClient client;
    private final TollgateAccountResolver accounts;
    private final String provider;
    private final String defaultModel;
    private final int order;

    public TollgateAdvisor(TollgateClient client, TollgateAccountResolver accounts, String provider,
            String defaultModel, int order) {
        this.client = client;
        this.accounts = accounts;
        this.provider = provider;
        this.defaultModel = defaultModel;
        this.order = order;
    }

    @Override
    public String getName() {
        return "TollgateAdvisor";
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        Reservation reservation = client.reserve(reserveRequest(request));
        ChatClientResponse response;
        try {
            response = chain.nextCall(request);
        } catch (RuntimeException failed) {
            releaseQuietly(reservation, failed);
            throw failed;
        }
        commit(reservation, response.chatResponse());
        return response;
    }

    /**
     * The commit waits for the end of the stream: an OpenAI stream reports usage in its last chunk, after
     * the one with the finish reason. Reserving and settling are blocking calls, so they run on the
     * bounded-elastic scheduler, never on the stream's event loop.
     */
    @Override
    public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
        return Mono.fromCallable(() -> client.reserve(reserveRequest(request)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(reservation -> {
                    AtomicReference<ChatResponse> reported = new AtomicReference<>();
                    Mono<ChatClientResponse> commit = Mono.<ChatClientResponse>fromRunnable(
                            () -> commit(reservation, reported.get()))
                            .subscribeOn(Schedulers.boundedElastic());
                    return chain.nextStream(request)
                            .doOnNext(response -> {
                                if (hasUsage(response.chatResponse())) {
                                    reported.set(response.chatResponse());
                                }
                            })
                            .concatWith(commit)
                            .onErrorResume(failed -> Mono.<ChatClientResponse>fromRunnable(
                                    () -> releaseQuietly(reservation, failed))
                                    .subscribeOn(Schedulers.boundedElastic())
                                    .then(Mono.error(failed)))
                            // A subscriber that leaves early: what the provider billed is unknown; the hold goes back.
                            .doOnCancel(() -> Schedulers.boundedElastic().schedule(
                                    () -> releaseQuietly(reservation, null)));
                });
    }

    private ReserveRequest reserveRequest(ChatClientRequest request) {
        Object fromParameter = request.context().get(ACCOUNT_ID);
        String accountId = fromParameter != null ? fromParameter.toString() : accounts.accountId(request);
        if (accountId == null) {
            throw new IllegalStateException("No Tollgate account for this call: pass the advisor parameter "
                    + ACCOUNT_ID + " or declare a TollgateAccountResolver bean");
        }
        ChatOptions options = request.prompt().getOptions();
        String model = options != null && options.getModel() != null ? options.getModel() : defaultModel;
        var builder = ReserveRequest.builder(accountId, provider, model).messages(messages(request));
        if (options != null && options.getMaxTokens() != null) {
            builder.maxOutputTokens(options.getMaxTokens());
        }
        Object conversation = request.context().get(CONVERSATION_ID);
        if (conversation != null) {
            builder.conversationId(conversation.toString());
        }
        return builder.build();
    }

    /** The prompt as OpenAI-style messages, which Tollgate counts with the model's tokenizer. */
    private static List<Map<String, Object>> messages(ChatClientRequest request) {
        return request.prompt().getInstructions().stream().map(TollgateAdvisor::message).toList();
    }

    private static Map<String, Object> message(Message message) {
        Map<String, Object> openAi = new LinkedHashMap<>();
        openAi.put("role", message.getMessageType().getValue());
        openAi.put("content", message.getText() == null ? "" : message.getText());
        return openAi;
    }

    private static boolean hasUsage(ChatResponse response) {
        if (response == null || response.getMetadata() == null || response.getMetadata().getUsage() == null) {
            return false;
        }
        var usage = response.getMetadata().getUsage();
        return tokens(usage.getPromptTokens()) + tokens(usage.getCompletionTokens()) > 0;
    }

    /**
     * What the model reported. Without a report (a provider that sends none) the whole reservation is
     * committed: never charging less than may have been spent.
     */
    private static Usage usage(Reservation reservation, ChatResponse response) {
        if (!hasUsage(response)) {
            return Usage.of(reservation.details().inputTokens(), reservation.details().maxOutputTokens())
                    .withMetadata(Map.of("usage_reported", false));
        }
        var usage = usage(reservation.details().provider(), response.getMetadata().getUsage());
        String model = response.getMetadata().getModel();
        return model == null || model.isBlank() ? usage : usage.withModel(model);
    }

    /**
     * Spring AI's usage in Tollgate's terms, where cache reads and writes are parts of the input. OpenAI's prompt
     * tokens hold its cached tokens; Anthropic's input tokens hold neither its cache reads nor its cache writes
     * (Spring AI passes Anthropic's {@code input_tokens} on as prompt tokens), so they are added to it.
     */
    static Usage usage(String provider, org.springframework.ai.chat.metadata.Usage reported) {
        long prompt = tokens(reported.getPromptTokens());
        long cacheRead = count(reported.getCacheReadInputTokens());
        long cacheWrite = count(reported.getCacheWriteInputTokens());
        long input = "anthropic".equalsIgnoreCase(provider) ? prompt + cacheRead + cacheWrite : prompt;
        var usage = Usage.of(input, tokens(reported.getCompletionTokens()));
        if (cacheRead > 0) {
            usage = usage.withCachedInputTokens(Math.min(cacheRead, input));
        }
        if (cacheWrite > 0) {
            usage = usage.withCacheWriteInputTokens(Math.min(cacheWrite, input - Math.min(cacheRead, input)));
        }
        return usage;
    }

    private static long count(Long tokens) {
        return tokens == null || tokens < 0 ? 0 : tokens;
    }

    /**
     * The model has answered and the provider has charged: a commit that fails must not cost the user
     * the answer. The reservation keeps its hold until it expires; with fail-open on, the client queues
     * the commit and sends it when Tollgate is back.
     */
    private static void commit(Reservation reservation, ChatResponse response) {
        try {
            reservation.commit(usage(reservation, response));
        } catch (TollgateException failed) {
            LOG.warn("Tollgate did not take the commit of reservation " + reservation.id() + ": "
                    + failed.getMessage());
        }
    }

    private static long tokens(Integer count) {
        return count == null ? 0 : count;
    }

    private static void releaseQuietly(Reservation reservation, Throwable cause) {
        try {
            reservation.close();
        } catch (RuntimeException releaseFailed) {
            // The call's own failure is what the caller must see; the reservation expires on its own.
            if (cause != null) {
                cause.addSuppressed(releaseFailed);
            }
        }
    }
}
