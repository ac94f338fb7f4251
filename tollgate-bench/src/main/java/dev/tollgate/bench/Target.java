package dev.tollgate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A figure the project aims for on its 2-core reference machine. Targets are reported, never asserted:
 * a slow machine must not fail a build, a wrong result must (that is what {@link Check} is for).
 */
record Target(String target, String measured, boolean met) {

    static final double SPREAD_SHARE_OF_RAW_MIN = 0.40;
    static final double SPREAD_RESERVE_P99_MILLIS_MAX = 20;
    static final double HOT_SHARE_OF_RAW_MIN = 0.25;
    static final double REPORT_P99_MILLIS_MAX = 50;

    /** The targets that the scenarios of a run allow to evaluate, in the order the issue lists them. */
    static List<Target> evaluate(List<ScenarioResult> results) {
        var targets = new ArrayList<Target>();
        var raw = find(results, Scenarios.RAW);
        var spread = find(results, Scenarios.SPREAD);
        var hot = find(results, Scenarios.HOT);
        if (raw.isPresent() && spread.isPresent()) {
            double share = share(spread.get(), raw.get());
            targets.add(new Target("spread ≥ 40 % of raw cycles/s", percent(share), share >= SPREAD_SHARE_OF_RAW_MIN));
        }
        spread.ifPresent(s -> targets.add(new Target("spread reserve p99 < 20 ms", millis(s.reserve().p99Millis()),
                s.reserve().count() > 0 && s.reserve().p99Millis() < SPREAD_RESERVE_P99_MILLIS_MAX)));
        find(results, Scenarios.SPREAD_PACED).ifPresent(s -> targets.add(new Target(
                "spread reserve p99 < 20 ms, paced at half its throughput", millis(s.reserve().p99Millis()),
                s.reserve().count() > 0 && s.reserve().p99Millis() < SPREAD_RESERVE_P99_MILLIS_MAX)));
        if (raw.isPresent() && hot.isPresent()) {
            double share = share(hot.get(), raw.get());
            targets.add(new Target("hot ≥ 25 % of raw cycles/s", percent(share), share >= HOT_SHARE_OF_RAW_MIN));
        }
        find(results, Scenarios.CONTENDED).ifPresent(c -> targets.add(zeroOverspend("contended", List.of(c))));
        var twoNodes = results.stream().filter(r -> r.name().startsWith(Scenarios.TWO_NODES_PREFIX)).toList();
        if (!twoNodes.isEmpty()) {
            targets.add(zeroOverspend("two-nodes", twoNodes));
        }
        find(results, Scenarios.REPORT).ifPresent(r -> targets.add(new Target("report p99 < 50 ms",
                millis(r.query().p99Millis()), r.query().count() > 0 && r.query().p99Millis() < REPORT_P99_MILLIS_MAX)));
        return targets;
    }

    /** A scenario's cycles per second as a share of another's (its baseline). */
    static double share(ScenarioResult scenario, ScenarioResult baseline) {
        double floor = baseline.cyclesPerSecond();
        return floor <= 0 ? 0 : scenario.cyclesPerSecond() / floor;
    }

    private static Target zeroOverspend(String label, List<ScenarioResult> scenarios) {
        long failed = scenarios.stream().flatMap(s -> s.checks().stream()).filter(c -> !c.passed()).count();
        long total = scenarios.stream().mapToLong(s -> s.checks().size()).sum();
        return new Target(label + ": zero overspend", (total - failed) + " of " + total + " checks passed",
                total > 0 && failed == 0);
    }

    private static Optional<ScenarioResult> find(List<ScenarioResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    static String percent(double share) {
        return Math.round(share * 100) + " %";
    }

    private static String millis(double value) {
        return Report.decimal(value) + " ms";
    }
}
