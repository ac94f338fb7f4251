package dev.tollgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** What the client tests share: the real Tollgate, an admin client, and accounts of their own. */
abstract class ClientTest {

    protected final RealTollgate tollgate = RealTollgate.instance();
    protected final TollgateClient client = tollgate.admin();

    protected String newAccount(String plan) {
        String id = RealTollgate.newAccountId(plan);
        client.createAccount(NewAccount.of(id, plan));
        return id;
    }

    protected static ReserveRequest.Builder request(String accountId, long inputTokens, long maxOutputTokens) {
        return ReserveRequest.builder(accountId, "openai", "gpt-4o").inputTokens(inputTokens)
                .maxOutputTokens(maxOutputTokens);
    }

    /** Spends {@code tokens} through a reservation and its commit, as an app's model call does. */
    protected UsageRecord use(String accountId, long tokens) {
        try (Reservation reservation = client.reserve(request(accountId, tokens, 0).build())) {
            return reservation.commit(Usage.of(tokens, 0));
        }
    }

    /** An admin client that reaches Tollgate through {@code proxy}. */
    protected static TollgateClient.Builder through(FlakyProxy proxy, RetryPolicy retry) {
        return TollgateClient.builder().baseUrl(proxy.baseUrl()).apiKey(RealTollgate.ADMIN_KEY).retry(retry);
    }

    protected static <T> List<T> all(Iterable<T> items) {
        List<T> list = new ArrayList<>();
        items.forEach(list::add);
        return list;
    }

    protected List<String> eventTypes(String accountId) {
        return StreamSupport.stream(client.events(accountId).spliterator(), false).map(Event::type).toList();
    }
}
