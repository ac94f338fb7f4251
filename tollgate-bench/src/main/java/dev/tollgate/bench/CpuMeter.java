package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time used by each party of a run (the bench itself, the Tollgate processes, PostgreSQL), read from
 * /proc. On a machine with few cores the three compete for the same CPUs, so where the CPU goes explains
 * the throughput figures better than any latency does. Elsewhere than Linux it reports nothing.
 */
final class CpuMeter {

    /** Clock ticks per second of /proc/[pid]/stat; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Supplier<Long>> parties = new LinkedHashMap<>();

    /**
     * Counts the CPU of a party's processes. Each process counts its own time plus that of the children it
     * has already reaped (the postmaster reaps its backends); the bench's own children are Tollgate and
     * PostgreSQL, which are parties of their own, so the bench is watched without them.
     */
    void watch(String party, Supplier<List<Long>> pids) {
        parties.put(party, () -> {
            long ticks = 0;
            for (long pid : pids.get()) {
                ticks += ticks(pid, pid != ProcessHandle.current().pid());
            }
            return ticks;
        });
    }

    /**
     * Counts the CPU of the JIT compiler threads of the given JVMs: part of their processes' CPU, told apart
     * because on two cores a JIT still compiling takes a large share of them from the work being measured.
     */
    void watchCompilers(String party, Supplier<List<Long>> pids) {
        parties.put(party, () -> pids.get().stream().mapToLong(CpuMeter::compilerTicks).sum());
    }

    /** The whole machine's busy CPU, so that what other processes used can be told apart from the run's. */
    static final String MACHINE = "machine";
    /**
     * Time the hypervisor ran someone else on this machine's virtual CPUs while they had work: part of
     * {@link #MACHINE}'s busy time that no process here used.
     */
    static final String STEAL = "steal";

    /** CPU seconds used so far by each party, and by the whole machine. */
    Map<String, Double> sample() {
        var seconds = new LinkedHashMap<String, Double>();
        String cpuLine = cpuLine();
        seconds.put(MACHINE, parseMachineTicks(cpuLine) / TICKS_PER_SECOND);
        seconds.put(STEAL, parseStealTicks(cpuLine) / TICKS_PER_SECOND);
        parties.forEach((party, ticks) -> seconds.put(party, ticks.get() / TICKS_PER_SECOND));
        return seconds;
    }

    /** CPU seconds the JIT compiler threads of these JVMs have used so far; 0 where /proc cannot tell. */
    static double compilerSeconds(List<Long> pids) {
        return pids.stream().mapToLong(CpuMeter::compilerTicks).sum() / TICKS_PER_SECOND;
    }

    /** HotSpot names its compiler threads "C1 CompilerThread0", "C2 CompilerThread0", ... (cut to 15 characters). */
    static boolean isCompilerThread(String threadName) {
        return threadName.matches("C[12] CompilerThre.*");
    }

    private static long compilerTicks(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (var threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    if (isCompilerThread(Files.readString(thread.resolve("comm")).strip())) {
                        ticks += parseTicks(Files.readString(thread.resolve("stat")), false);
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended between listing and reading; its time is gone with it.
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return ticks;
    }

    /** What each party used between two samples. */
    static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
        var used = new LinkedHashMap<String, Double>();
        after.forEach((party, seconds) -> used.put(party, seconds - before.getOrDefault(party, 0.0)));
        return used;
    }

    /** The first line of /proc/stat, the whole machine's ticks since boot; blank where there is none. */
    private static String cpuLine() {
        try {
            return Files.readAllLines(Path.of("/proc/stat")).getFirst();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** "cpu user nice system idle iowait irq softirq steal ...": everything but idle and iowait is busy. */
    static long parseMachineTicks(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (fields.length < 2) {
            return 0;
        }
        long busy = 0;
        for (int field = 1; field <= Math.min(8, fields.length - 1); field++) {
            if (field != 4 && field != 5) {
                busy += Long.parseLong(fields[field]);
            }
        }
        return busy;
    }

    /** The eighth number of the "cpu" line: steal. */
    static long parseStealTicks(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        return fields.length > 8 ? Long.parseLong(fields[8]) : 0;
    }

    /** A process and its live descendants, e.g. the postmaster and its backends. */
    static List<Long> withDescendants(long pid) {
        return ProcessHandle.of(pid)
                .map(handle -> java.util.stream.Stream.concat(java.util.stream.Stream.of(handle), handle.descendants())
                        .map(ProcessHandle::pid)
                        .toList())
                .orElse(List.of());
    }

    /** utime + stime (+ cutime + cstime) of /proc/[pid]/stat, or 0 when the process is gone. */
    static long ticks(long pid, boolean reapedChildren) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), reapedChildren);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The command name in field 2 may hold spaces and parentheses, so fields are counted after the last ')'. */
    static long parseTicks(String stat, boolean reapedChildren) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17.
        int last = reapedChildren ? 17 : 15;
        long total = 0;
        for (int field = 14; field <= last; field++) {
            total += Long.parseLong(fields[field - 3]);
        }
        return total;
    }
}
