package dev.tollgate.faults;

import dev.tollgate.Http;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that reserve and commit in a loop, as a careful client of Tollgate does: each call carries
 * its own Idempotency-Key; a {@code 503 database_unavailable} is retried with the same key after a
 * pause; a node that does not answer (killed) is left for another node, again with the same key. Every
 * answer is tallied, and every acknowledged commit kept, so a test can check that none was lost.
 */
final class MeteringLoad {

    /** A commit Tollgate answered 200: from then on it must be in the ledger whatever fails. */
    record Ack(String accountId, String reservationId, String usageId, long totalTokens) {}

    /** An answer received while the database was down, to a call sent while it was down. */
    record OutageAnswer(int status, String code, boolean retryable, boolean retryAfter, Duration took) {}

    enum Phase { NORMAL, OUTAGE, RECOVERED }

    static final long RESERVED_TOKENS = 100;
    private static final long COMMITTED_INPUT_TOKENS = 60;
    private static final long COMMITTED_OUTPUT_TOKENS = 40;
    /** A client's pause before retrying a 503 or another node: the Retry-After a client honours. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    /** A call still unanswered after this is given up and reported: no outage here lasts nearly as long. */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(90);
    private static final Duration STOP_WAIT_MAX = Duration.ofSeconds(120);

    private final List<Http> nodes;
    private final List<String> accounts;
    private final int clients;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile Phase phase = Phase.NORMAL;

    private final AtomicLong calls = new AtomicLong();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong connectionFailures = new AtomicLong();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final Queue<OutageAnswer> outageAnswers = new ConcurrentLinkedQueue<>();
    private final Queue<String> reservations = new ConcurrentLinkedQueue<>();
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acksAfterRecovery = new AtomicInteger();

    MeteringLoad(List<Http> nodes, List<String> accounts, int clients) {
        this.nodes = List.copyOf(nodes);
        this.accounts = List.copyOf(accounts);
        this.clients = clients;
    }

    void start() {
        running = true;
        for (int i = 0; i < clients; i++) {
            int first = i % nodes.size();
            threads.add(Thread.ofVirtual().name("client-" + i).start(() -> client(first)));
        }
    }

    void phase(Phase next) {
        phase = next;
    }

    /** Lets each client finish the reservation it holds (commit it), then stops them all. */
    void stop() throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + STOP_WAIT_MAX.toNanos();
        for (Thread thread : threads) {
            thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish its call in " + STOP_WAIT_MAX);
            }
        }
    }

    int acknowledgedCommits() {
        return acks.size();
    }

    int acknowledgedCommitsAfterRecovery() {
        return acksAfterRecovery.get();
    }

    long outageAnswerCount() {
        return outageAnswers.size();
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    List<String> reservations() {
        return List.copyOf(reservations);
    }

    List<OutageAnswer> outageAnswers() {
        return List.copyOf(outageAnswers);
    }

    /** Answers no careful client expects: a 500, a 5xx other than database_unavailable, a call given up. */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Calls that got no answer at all (the node was killed) and went on to another node. */
    long connectionFailures() {
        return connectionFailures.get();
    }

    String summary() {
        var byStatus = new java.util.TreeMap<Integer, Long>();
        statuses.forEach((status, count) -> byStatus.put(status, count.get()));
        return "calls=" + calls.get() + " answers=" + byStatus + " connection-failures=" + connectionFailures.get()
                + " answered-during-outage=" + outageAnswers.size() + " acknowledged-commits=" + acks.size()
                + " unexpected=" + unexpected.size() + " slowest-outage-answer=" + slowestOutageAnswer().toMillis() + "ms";
    }

    Duration slowestOutageAnswer() {
        return outageAnswers.stream().map(OutageAnswer::took).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    private void client(int firstNode) {
        int node = firstNode;
        while (running) {
            String account = accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
            var body = new HashMap<String, Object>(Map.of("account_id", account, "provider", "openai", "model",
                    "gpt-4o", "input_tokens", 50, "max_output_tokens", RESERVED_TOKENS - 50));
            var reserved = call(node, "/v1/reservations", body);
            node = reserved.node();
            if (reserved.response() == null || reserved.response().status() != 201) {
                if (reserved.response() != null && reserved.response().status() == 402) {
                    // The account's budget is spent: a real client would stop; this one tries another account.
                    pause();
                } else {
                    unexpected.add("reserve: " + reserved.response());
                }
                continue;
            }
            String reservationId = reserved.response().json().path("id").asString();
            reservations.add(reservationId);
            var committed = call(node, "/v1/reservations/" + reservationId + "/commit",
                    Map.of("input_tokens", COMMITTED_INPUT_TOKENS, "output_tokens", COMMITTED_OUTPUT_TOKENS));
            node = committed.node();
            if (committed.response() == null || committed.response().status() != 200) {
                unexpected.add("commit " + reservationId + ": " + committed.response());
                continue;
            }
            var usage = committed.response().json();
            acks.add(new Ack(account, reservationId, usage.path("id").asString(), usage.path("total_tokens").asLong()));
            if (phase == Phase.RECOVERED) {
                acksAfterRecovery.incrementAndGet();
            }
        }
    }

    private record Outcome(int node, Http.@org.jspecify.annotations.Nullable Response response) {}

    /** One call, retried with the same key until it gets an answer that is not "try again". */
    private Outcome call(int firstNode, String path, Object body) {
        String key = UUID.randomUUID().toString();
        int node = firstNode;
        long deadline = System.nanoTime() + CALL_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Phase sentIn = phase;
            Http.Response response;
            long sentAt = System.nanoTime();
            try {
                calls.incrementAndGet();
                response = nodes.get(node).idempotent(key).post(path, body);
            } catch (UncheckedIOException e) {
                // The node is gone (killed) or unreachable: the same key goes to the next node.
                connectionFailures.incrementAndGet();
                node = (node + 1) % nodes.size();
                pause();
                continue;
            }
            statuses.computeIfAbsent(response.status(), status -> new AtomicLong()).incrementAndGet();
            boolean unavailable = response.status() == 503 && "database_unavailable".equals(response.code());
            if (sentIn == Phase.OUTAGE && phase == Phase.OUTAGE) {
                outageAnswers.add(new OutageAnswer(response.status(), response.code(),
                        response.json().path("retryable").asBoolean(false), response.headers().containsKey("retry-after"),
                        Duration.ofNanos(System.nanoTime() - sentAt)));
            }
            if (unavailable) {
                pause();
                continue;
            }
            if (response.status() >= 500) {
                unexpected.add(path + ": " + response);
                pause();
                continue;
            }
            return new Outcome(node, response);
        }
        unexpected.add(path + ": no answer but 'try again' within " + CALL_DEADLINE);
        return new Outcome(node, null);
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
