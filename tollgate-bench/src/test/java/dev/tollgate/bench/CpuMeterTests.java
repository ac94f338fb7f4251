package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTests {

    /** /proc/[pid]/stat of a process whose name holds a space and a parenthesis. */
    private static final String STAT = "4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 1302 0 0 0 "
            + "150 30 7 3 20 0 1 0 123 1000 200 18446744073709551615";

    @Test
    void own_time_is_user_plus_system_ticks() {
        assertThat(CpuMeter.parseTicks(STAT, false)).isEqualTo(180);
    }

    @Test
    void reaped_children_add_their_ticks_when_asked() {
        assertThat(CpuMeter.parseTicks(STAT, true)).isEqualTo(190);
    }

    @Test
    void the_machine_is_busy_with_everything_but_idle_and_iowait() {
        assertThat(CpuMeter.parseMachineTicks("cpu  100 5 40 9000 70 3 2 1 0 0")).isEqualTo(151);
    }

    @Test
    void steal_is_the_eighth_number_of_the_cpu_line() {
        assertThat(CpuMeter.parseStealTicks("cpu  100 5 40 9000 70 3 2 1 0 0")).isEqualTo(1);
        assertThat(CpuMeter.parseStealTicks("cpu  100 5 40 9000")).isZero();
    }

    @Test
    void only_hotspot_compiler_threads_count_as_the_jit() {
        assertThat(CpuMeter.isCompilerThread("C2 CompilerThre")).isTrue();
        assertThat(CpuMeter.isCompilerThread("C1 CompilerThre")).isTrue();
        assertThat(CpuMeter.isCompilerThread("ForkJoinPool-1-")).isFalse();
        assertThat(CpuMeter.isCompilerThread("G1 Conc#0")).isFalse();
    }

    @Test
    void this_jvm_has_spent_compiler_time_by_the_time_its_tests_run() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");

        assertThat(CpuMeter.compilerSeconds(List.of(ProcessHandle.current().pid()))).isPositive();
    }

    @Test
    void usage_between_two_samples_is_per_party() {
        var used = CpuMeter.between(Map.of("tollgate", 1.5, "postgres", 2.0), Map.of("tollgate", 4.0, "postgres", 2.5));

        assertThat(used).containsEntry("tollgate", 2.5).containsEntry("postgres", 0.5);
    }
}
