package dev.tollgate.gateway;

import dev.tollgate.ledger.RequestGate.Lane;
import dev.tollgate.ledger.Ledger;
import dev.tollgate.ledger.LedgerSettings;
import dev.tollgate.ledger.ReserveCommand;
import dev.tollgate.ledger.ReserveResult.Rejected;
import dev.tollgate.ledger.ReserveResult.Reserved;
import dev.tollgate.platform.DatabaseFailures;
import dev.tollgate.platform.ProblemException;
import dev.tollgate.platform.Validation;
import dev.tollgate.pricing.TokenEstimator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One proxied call: size it, reserve through the ledger (its admission rule, no other), call the upstream
 * with no transaction or pooled connection held, then commit the usage the provider reports, or release
 * when the upstream failed and billed nothing. Streams are relayed by {@link StreamRelay}.
 */
@Component
class Relay {

    static final String PROVIDER_KEY_HEADER = "X-Tollgate-Provider-Key";
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Ledger ledger;
    private final TokenEstimator tokens;
    private final LedgerSettings ledgerSettings;
    private final GatewaySettings settings;
    private final StreamRelay streams;
    private final LedgerGate gate;

    Relay(Ledger ledger, TokenEstimator tokens, LedgerSettings ledgerSettings, GatewaySettings settings,
            StreamRelay streams, LedgerGate gate) {
        this.ledger = ledger;
        this.gate = gate;
        this.tokens = tokens;
        this.ledgerSettings = ledgerSettings;
        this.settings = settings;
        this.streams = streams;
    }

    void relay(Endpoint endpoint, Provider provider, GatewayCaller caller, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        CallRequest call;
        try {
            call = CallRequest.parse(endpoint, provider.name(), body, tokens, ledgerSettings.defaultOutputTokens());
            if (!caller.allows(call.model())) {
                throw new GatewayException(GatewayError.of(GatewayProblem.MODEL_NOT_ALLOWED,
                        "This gateway key may not call model '" + call.model() + "'."));
            }
        } catch (GatewayException e) {
            e.error().write(provider.kind(), response);
            return;
        }
        String byokKey = request.getHeader(PROVIDER_KEY_HEADER);
        var upstreamRequest = UpstreamMessages.request(endpoint, provider, call.upstreamBody(), byokKey, request, settings.readTimeout());
        if (!endpoint.metered()) {
            passThroughUnmetered(provider, upstreamRequest, response);
            return;
        }
        Optional<Settlement> reserved = reserve(provider, caller, call, byokKey != null, request, response);
        if (reserved.isEmpty()) {
            return;
        }
        Settlement settlement = reserved.get();
        try {
            var upstream = send(provider, upstreamRequest, settlement, response);
            if (upstream == null) {
                return;
            }
            if (upstream.statusCode() / 100 != 2) {
                settlement.release();
                UpstreamMessages.passThrough(upstream, response);
            } else if (upstream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                streams.relay(provider, call, upstream, settlement, response);
            } else {
                whole(provider, call, upstream, settlement, response);
            }
        } finally {
            settlement.releaseIfOpen();
        }
    }

    private Optional<Settlement> reserve(Provider provider, GatewayCaller caller, CallRequest call, boolean byok,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            var command = new ReserveCommand(caller.accountId(), provider.name(), call.model(), call.inputTokens(),
                    call.maxOutputTokens(), byok, optionalHeader(request, "X-Tollgate-Job-Type", 128),
                    optionalHeader(request, "X-Tollgate-Job-Id", Validation.SHORT_TEXT_LENGTH_MAX),
                    optionalHeader(request, "X-Tollgate-Conversation", Validation.SHORT_TEXT_LENGTH_MAX),
                    Map.of("gateway", call.endpoint().path()));
            return switch (gate.call(Lane.RESERVATION, () -> ledger.reserve(command))) {
                case Reserved reserved -> Optional.of(new Settlement(ledger, gate, reserved, caller.actor()));
                case Rejected rejected -> {
                    // A denial is final: the SDKs must not retry it (they would on 402's neighbours 408/409/429).
                    new GatewayError(rejected.problem().status().value(), rejected.problem().code(), rejected.detail(),
                            rejected.problem().retryable()).write(provider.kind(), response);
                    yield Optional.empty();
                }
            };
        } catch (ProblemException e) {
            String detail = e.getBody().getDetail();
            GatewayError.of(e.problemType(), detail == null ? e.problemType().title() : detail)
                    .write(provider.kind(), response);
            return Optional.empty();
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unavailable(e)) {
                throw e;
            }
            // Nothing was reserved and the provider was not called: the SDK may retry, as it does on a 503.
            response.setHeader("Retry-After", Long.toString(DatabaseFailures.RETRY_AFTER.toSeconds()));
            new GatewayError(503, "database_unavailable", "Tollgate's database is unavailable; try again shortly.",
                    true).write(provider.kind(), response);
            return Optional.empty();
        }
    }

    private static @Nullable String optionalHeader(HttpServletRequest request, String name, int max) {
        return Validation.optionalText(request.getHeader(name), name, max);
    }

    /** Sends the call; on a timeout or connection failure releases, answers 504 or 502, and returns null. */
    private @Nullable HttpResponse<InputStream> send(Provider provider, HttpRequest request,
            @Nullable Settlement settlement, HttpServletResponse response) throws IOException {
        try {
            return provider.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            failed(settlement, GatewayError.of(GatewayProblem.UPSTREAM_TIMEOUT, "The " + provider.name()
                    + " upstream did not answer within " + settings.readTimeout() + "."), provider, response);
        } catch (IOException e) {
            failed(settlement, GatewayError.of(GatewayProblem.UPSTREAM_UNAVAILABLE, "The " + provider.name()
                    + " upstream could not be reached."), provider, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed(settlement, GatewayError.of(GatewayProblem.UPSTREAM_UNAVAILABLE, "The call was interrupted."),
                    provider, response);
        }
        return null;
    }

    private static void failed(@Nullable Settlement settlement, GatewayError error, Provider provider,
            HttpServletResponse response) throws IOException {
        if (settlement != null) {
            settlement.release();
        }
        error.write(provider.kind(), response);
    }

    private void passThroughUnmetered(Provider provider, HttpRequest request, HttpServletResponse response)
            throws IOException {
        var upstream = send(provider, request, null, response);
        if (upstream != null) {
            UpstreamMessages.passThrough(upstream, response);
        }
    }

    private void whole(Provider provider, CallRequest call, HttpResponse<InputStream> upstream, Settlement settlement,
            HttpServletResponse response) throws IOException {
        byte[] body;
        try (InputStream in = upstream.body()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            // The answer was lost on the way, so the client gets nothing to pay for.
            failed(settlement, GatewayError.of(GatewayProblem.UPSTREAM_UNAVAILABLE, "The " + provider.name()
                    + " upstream broke off its answer."), provider, response);
            return;
        }
        Usage usage = usageOf(provider, call, body);
        var metadata = metadata(call, usage, null);
        Reserved reserved = settlement.reserved();
        Long remaining = reserved.remaining().tokens();
        try {
            var record = settlement.commit(usage, metadata);
            if (remaining != null && !reserved.reservation().byok()) {
                remaining = Math.max(0, remaining + reserved.reservation().tokens() - record.totalTokens());
            }
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unavailable(e)) {
                throw e;
            }
            // The provider has answered and billed: an error now would make the SDK call (and pay) again.
            // The reservation stays pending and expires (README "Use the gateway": what a lost commit bills).
            log.error("The usage of reservation {} ({} in, {} out) could not be committed: {}",
                    reserved.reservation().id(), usage.inputTokens(), usage.outputTokens(),
                    DatabaseFailures.describe(e));
        }
        response.setStatus(upstream.statusCode());
        UpstreamMessages.copyHeaders(upstream, response);
        tollgateHeaders(response, settlement, remaining);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private Usage usageOf(Provider provider, CallRequest call, byte[] body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JacksonException e) {
            return new Usage(call.inputTokens(), 0, 0, true);
        }
        return UsageReader.ofBody(call.endpoint(), json).orElseGet(() -> new Usage(call.inputTokens(),
                tokens.countText(provider.name(), call.model(), UsageReader.textOf(call.endpoint(), json)), 0, true));
    }

    /** What the usage record tells about how it was measured; {@code disconnect} names the policy that applied. */
    static Map<String, Object> metadata(CallRequest call, Usage usage,
            GatewaySettings.@Nullable OnDisconnect disconnect) {
        var metadata = new LinkedHashMap<String, Object>();
        metadata.put("gateway", call.endpoint().path());
        metadata.put("stream", call.stream());
        metadata.put("usage_source", usage.estimated() ? "estimated" : "provider");
        if (disconnect != null) {
            metadata.put("on_disconnect", disconnect.name().toLowerCase(Locale.ROOT));
        }
        return metadata;
    }

    static void tollgateHeaders(HttpServletResponse response, Settlement settlement, @Nullable Long tokensRemaining) {
        Reserved reserved = settlement.reserved();
        response.setHeader("X-Tollgate-Reservation", reserved.reservation().id());
        if (tokensRemaining != null) {
            response.setHeader("X-Tollgate-Tokens-Remaining", Long.toString(tokensRemaining));
        }
        reserved.warnings().forEach(warning -> response.addHeader("X-Tollgate-Warning", warning.message()));
    }
}
