package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutovacuumRoundsTests {

    /** Lines as PostgreSQL 17 logs them with log_autovacuum_min_duration = 0, trimmed, and other noise. */
    private static final List<String> LOG = List.of(
            "2026-11-21 22:10:35.508 UTC [21999] LOG:  automatic analyze of table \"postgres.public.event\"",
            "\tavg read rate: 0.094 MB/s, avg write rate: 0.132 MB/s",
            "\tsystem usage: CPU: user: 0.06 s, system: 0.01 s, elapsed: 0.41 s",
            "2026-11-21 22:10:35.600 UTC [22023] ERROR:  canceling statement due to user request",
            "2026-11-21 22:10:36.102 UTC [21999] LOG:  automatic vacuum of table \"postgres.public.budget\": "
                    + "index scans: 1",
            "\tpages: 9 removed, 58 remain, 67 scanned (100.00% of total)",
            "\tWAL usage: 154 records, 1 full page images, 19418 bytes",
            "\tsystem usage: CPU: user: 0.02 s, system: 0.01 s, elapsed: 0.05 s",
            "2026-11-21 22:10:36.300 UTC [21999] LOG:  automatic analyze of table \"postgres.pg_catalog.pg_class\"",
            "\tsystem usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.01 s",
            "2026-11-21 22:11:32.431 UTC [22099] LOG:  automatic analyze of table \"postgres.public.event\"",
            "\tsystem usage: CPU: user: 0.09 s, system: 0.01 s, elapsed: 0.22 s");

    @Test
    void each_action_on_tollgates_tables_is_read_with_its_cpu_and_when_it_ended() {
        var actions = AutovacuumRounds.actions(LOG);

        assertThat(actions).extracting(AutovacuumRounds.Action::table).containsExactly("event", "budget", "event");
        var vacuum = actions.get(1);
        assertThat(vacuum.kind()).isEqualTo("vacuum");
        assertThat(vacuum.ended()).isEqualTo(Instant.parse("2026-11-21T22:10:36.102Z"));
        assertThat(vacuum.cpuSeconds()).isEqualTo(0.03, offset(1e-9));
    }

    @Test
    void actions_close_together_form_one_round_from_the_first_start_to_the_last_end() {
        var rounds = AutovacuumRounds.group(AutovacuumRounds.actions(LOG));

        assertThat(rounds).hasSize(2);
        var first = rounds.getFirst();
        assertThat(first.from()).isEqualTo(Instant.parse("2026-11-21T22:10:35.098Z"));
        assertThat(first.to()).isEqualTo(Instant.parse("2026-11-21T22:10:36.102Z"));
        assertThat(first.tables()).containsExactly("event", "budget");
        assertThat(first.cpuSeconds()).isEqualTo(0.10, offset(1e-9));
        assertThat(Report.autovacuumLines(rounds))
                .contains("22:10:35–22:10:36 (0.10 s CPU), 22:11:32–22:11:32 (0.10 s CPU)");
    }
}
