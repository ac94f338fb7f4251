package dev.tollgate.client;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fail-open's book: the tokens approved locally while Tollgate was unreachable, and the usage posts
 * that still have to reach it. Each post keeps the Idempotency-Key it was given when queued, so a flush
 * whose answer is lost and is sent again records the usage once.
 */
final class Backlog implements AutoCloseable {

    /** A post still to send, and the tokens it holds against the fail-open allowance until then. */
    record Post(String path, Object body, String idempotencyKey, long tokens) {}

    private final FailOpen policy;
    private final Transport transport;
    private final Deque<Post> posts = new ArrayDeque<>();
    private final Object flushing = new Object();
    private long tokensHeld;
    private ScheduledExecutorService flusher;

    Backlog(FailOpen policy, Transport transport) {
        this.policy = policy;
        this.transport = transport;
    }

    /** Takes {@code tokens} from the allowance if they fit; the check and the take are one step under the lock. */
    synchronized boolean tryHold(long tokens) {
        if (!policy.enabled() || tokensHeld + tokens > policy.tokensMax()) {
            return false;
        }
        tokensHeld += tokens;
        return true;
    }

    synchronized void free(long tokens) {
        tokensHeld -= tokens;
    }

    /**
     * Queues a post; the estimate held for it is swapped for what it really used (usage is a fact, even
     * over the allowance).
     */
    synchronized void enqueue(Post post, long tokensEstimated) {
        tokensHeld += post.tokens() - tokensEstimated;
        posts.addLast(post);
        if (flusher == null) {
            flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tollgate-client-backlog");
                thread.setDaemon(true);
                return thread;
            });
            long millis = policy.flushInterval().toMillis();
            flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    boolean enabled() {
        return policy.enabled();
    }

    synchronized int size() {
        return posts.size();
    }

    /**
     * Sends the queued posts in order until one cannot reach Tollgate. A post Tollgate refuses (a
     * problem other than "try again") would be refused forever; it is dropped so the rest can go. The
     * HTTP calls run outside the book's lock, so a reserve during an outage never waits on a flush;
     * {@code flushing} lets one flush run at a time, which keeps the posts in order.
     *
     * @return the posts that left the queue
     */
    int flush() {
        synchronized (flushing) {
            int sent = 0;
            Post post;
            while ((post = first()) != null) {
                try {
                    transport.post(post.path(), post.body(), post.idempotencyKey());
                } catch (TollgateUnavailableException stillDown) {
                    return sent;
                } catch (TollgateProblemException refused) {
                    System.getLogger(Backlog.class.getName()).log(System.Logger.Level.WARNING,
                            "Tollgate refused fail-open usage for " + post.path() + ": " + refused.getMessage());
                }
                sent(post);
                sent++;
            }
            return sent;
        }
    }

    private synchronized Post first() {
        return posts.peekFirst();
    }

    private synchronized void sent(Post post) {
        posts.removeFirst();
        tokensHeld -= post.tokens();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException unexpected) {
            // The scheduler stops a task that throws; the next round tries again.
            System.getLogger(Backlog.class.getName()).log(System.Logger.Level.WARNING, "fail-open flush failed",
                    unexpected);
        }
    }

    @Override
    public synchronized void close() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
    }
}
