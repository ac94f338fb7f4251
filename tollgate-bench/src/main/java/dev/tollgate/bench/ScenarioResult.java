package dev.tollgate.bench;

import java.util.List;
import java.util.Map;

/**
 * What one scenario measured. {@code cycles} are completed reserve-and-commit cycles (or queries, for the
 * report scenario) that started inside the measured window; {@code cpuSeconds} is the CPU each party
 * (bench, tollgate, postgres) used in that window.
 */
record ScenarioResult(
        String name,
        String description,
        int clients,
        int nodes,
        double seconds,
        long cycles,
        long approved,
        long denied,
        long failures,
        List<String> failureSamples,
        LatencySummary reserve,
        LatencySummary commit,
        LatencySummary query,
        SlowCalls slowReserves,
        Map<String, Double> cpuSeconds,
        List<StatementStats.Share> statements,
        List<Check> checks) {

    ScenarioResult {
        failureSamples = List.copyOf(failureSamples);
        cpuSeconds = Map.copyOf(cpuSeconds);
        statements = List.copyOf(statements);
        checks = List.copyOf(checks);
    }

    static ScenarioResult of(String name, String description, int clients, int nodes, Load.Result load,
            Scenarios.Observed observed, List<Check> checks) {
        return new ScenarioResult(name, description, clients, nodes, load.seconds(), load.cycles(), load.approved(),
                load.denied(), load.failures(), load.failureSamples(), load.reserve(), load.commit(), load.query(),
                load.slowReserves(), observed.cpuSeconds(), StatementStats.shares(observed.statements()), checks);
    }

    double cyclesPerSecond() {
        return seconds <= 0 ? 0 : cycles / seconds;
    }

    /** CPU milliseconds a party spent per completed cycle, or 0 without cycles. */
    double cpuMillisPerCycle(String party) {
        return cycles == 0 ? 0 : cpuSeconds.getOrDefault(party, 0.0) * 1000 / cycles;
    }

    /**
     * The share of the machine's CPU capacity that processes outside the run used during the measured
     * window: high values mean the figures measured a shared machine, not Tollgate.
     */
    double othersCpuPercent(int cores) {
        if (seconds <= 0 || cores <= 0 || !cpuSeconds.containsKey(CpuMeter.MACHINE)) {
            return 0;
        }
        double ours = cpuSeconds.getOrDefault(Scenarios.BENCH, 0.0) + cpuSeconds.getOrDefault(Scenarios.TOLLGATE, 0.0)
                + cpuSeconds.getOrDefault(Scenarios.POSTGRES, 0.0);
        return Math.max(0, cpuSeconds.get(CpuMeter.MACHINE) - ours) * 100 / (seconds * cores);
    }

    /** The share of the machine's CPU capacity the hypervisor gave to others: part of {@link #othersCpuPercent}. */
    double stealPercent(int cores) {
        if (seconds <= 0 || cores <= 0) {
            return 0;
        }
        return cpuSeconds.getOrDefault(CpuMeter.STEAL, 0.0) * 100 / (seconds * cores);
    }

    boolean correct() {
        return checks.stream().allMatch(Check::passed);
    }
}
