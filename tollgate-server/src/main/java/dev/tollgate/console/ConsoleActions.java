package dev.tollgate.console;

import dev.tollgate.platform.Ids;
import dev.tollgate.platform.Validation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a confirmed console action once per confirmation form. The form's nonce is claimed and the action
 * done in one transaction, so a double submit waits for the first and then shows its outcome instead of
 * acting again; an action that fails leaves no claim behind. The log keeps the actor and the reason.
 */
@Service
class ConsoleActions {

    private static final Pattern NONCE = Pattern.compile("[0-9a-z]{20,64}");
    private static final int NONCE_BYTES = 20;

    /** What an action did; {@code secretOnce} (a new key's secret) is shown once and never stored. */
    record Done(String text, @Nullable Long entryId, @Nullable String secretOnce) {

        static Done of(String text) {
            return new Done(text, null, null);
        }

        @Override
        public String toString() {
            return "Done[text=" + text + ", entryId=" + entryId + ", secretOnce=<redacted>]";
        }
    }

    /** What was asked: the fingerprint of a nonce's first use, which a reuse must repeat. */
    record Request(String action, @Nullable String accountId, String reason, Map<String, String> fields) {

        Request {
            fields = Map.copyOf(fields);
        }
    }

    private final ConsoleStore store;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ConsoleActions(ConsoleStore store, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.clock = clock;
    }

    String newNonce() {
        return Ids.secret(NONCE_BYTES);
    }

    Done run(ConsoleUser user, String nonce, Request request, Supplier<Done> work) {
        Validation.check(NONCE.matcher(nonce).matches(), "nonce", "is not a confirmation this console issued");
        String hash = fingerprint(request);
        Done first = transactions.execute(status -> {
            if (!store.claim(nonce, user, request.action(), request.accountId(), hash, request.reason(),
                    clock.instant())) {
                return null;
            }
            Done done = work.get();
            store.finish(nonce, done.text(), done.entryId());
            return done;
        });
        if (first != null) {
            return first;
        }
        var earlier = store.outcome(nonce, user.keyId())
                .orElseThrow(() -> Validation.invalid("nonce", "belongs to another operator's confirmation"));
        Validation.check(earlier.requestHash().equals(hash), "nonce", "was already used for another action");
        return new Done(earlier.text() == null ? "Done." : earlier.text(), earlier.entryId(), null);
    }

    /** The outcome shown after the redirect that follows an action; only its own operator sees it. */
    Optional<Done> outcome(@Nullable String nonce, ConsoleUser user) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            return Optional.empty();
        }
        return store.outcome(nonce, user.keyId())
                .map(o -> new Done(o.text() == null ? "Done." : o.text(), o.entryId(), null));
    }

    private static String fingerprint(Request request) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            var text = new StringBuilder(request.action()).append('\n').append(request.accountId()).append('\n')
                    .append(request.reason());
            new TreeMap<>(request.fields()).forEach((k, v) -> text.append('\n').append(k).append('=').append(v));
            return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
