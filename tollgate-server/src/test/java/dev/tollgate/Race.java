package dev.tollgate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Many clients released together, spread round-robin over the nodes, each making one call. */
public final class Race {

    private Race() {}

    public static List<Http.Response> run(List<Http> nodes, int clients, Function<Http, Http.Response> call)
            throws Exception {
        var start = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Http.Response>>();
            for (int i = 0; i < clients; i++) {
                Http node = nodes.get(i % nodes.size());
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(node);
                }));
            }
            start.countDown();
            var answers = new ArrayList<Http.Response>();
            for (var future : futures) {
                answers.add(future.get());
            }
            return answers;
        }
    }
}
