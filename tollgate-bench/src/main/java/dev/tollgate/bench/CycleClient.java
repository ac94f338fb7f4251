package dev.tollgate.bench;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client of every reserve-then-commit scenario: reserves for a request on one of its accounts, then
 * commits the usage the call "really" had. It times the two halves separately, as a caller sees them.
 */
final class CycleClient implements Load.Client {

    /** The shape of every metered call of a run: tokens reserved, and tokens then really used. */
    record Shape(long inputTokens, long maxOutputTokens, long outputTokens) {
        Shape {
            if (inputTokens < 0 || maxOutputTokens < 0 || outputTokens < 0) {
                throw new IllegalArgumentException("token counts cannot be negative");
            }
        }

        long reservedTokens() {
            return inputTokens + maxOutputTokens;
        }
    }

    /** What a denial means to the scenario: the end of this client's race, or a wrong result. */
    enum OnDenial {
        STOP,
        FAIL
    }

    private final CycleTarget target;
    private final List<String> accounts;
    private final Shape shape;
    private final OnDenial onDenial;
    private final IdempotencyKeys keys;

    CycleClient(CycleTarget target, List<String> accounts, Shape shape, OnDenial onDenial, IdempotencyKeys keys) {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one account");
        }
        this.target = target;
        this.accounts = List.copyOf(accounts);
        this.shape = shape;
        this.onDenial = onDenial;
        this.keys = keys;
    }

    @Override
    public boolean cycle(Load.Tally tally) throws Exception {
        String account = accounts.size() == 1
                ? accounts.getFirst()
                : accounts.get(ThreadLocalRandom.current().nextInt(accounts.size()));
        var request = new CycleTarget.Request(account, shape.inputTokens(), shape.maxOutputTokens());
        long started = System.nanoTime();
        var outcome = target.reserve(request, keys.next());
        long reserved = System.nanoTime();
        tally.reserve(started, reserved - started);
        return switch (outcome) {
            case CycleTarget.Outcome.Approved approved -> {
                tally.approved();
                target.commit(approved.reservationId(), shape.inputTokens(), shape.outputTokens(), keys.next());
                tally.commit(reserved, System.nanoTime() - reserved);
                tally.completed();
                yield true;
            }
            case CycleTarget.Outcome.Denied denied -> {
                tally.denied();
                if (onDenial == OnDenial.FAIL) {
                    throw new CycleFailure("reservation on " + account + " denied with " + denied.code()
                            + " although its allowance is far from reached");
                }
                yield false;
            }
        };
    }

    @Override
    public void close() throws java.sql.SQLException {
        target.close();
    }
}
