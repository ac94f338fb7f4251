package dev.tollgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The autovacuum rounds of a run, read from postgres.log (the bench has PostgreSQL log every autovacuum
 * action): when each round ran, over which tables, and the CPU it took. A round shares the two cores with
 * the load, so the seconds it ran are where to look first when a scenario's slowest reserves crowd
 * together.
 */
final class AutovacuumRounds {

    /** Actions less than this apart belong to one round: a round goes through the tables one after another. */
    static final Duration GAP = Duration.ofSeconds(5);

    private static final Pattern ACTION = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) UTC .*automatic (vacuum|analyze) of table \"[^.\"]+\\.public\\.([^\"]+)\"");
    private static final Pattern USAGE = Pattern.compile(
            "CPU: user: ([\\d.]+) s, system: ([\\d.]+) s, elapsed: ([\\d.]+) s");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** One vacuum or analyze of one of Tollgate's tables; {@code ended} is when PostgreSQL logged it. */
    record Action(Instant ended, String kind, String table, double cpuSeconds, double elapsedSeconds) {}

    /** Consecutive actions, each started less than {@link #GAP} after the previous one ended. */
    record Round(Instant from, Instant to, List<String> tables, double cpuSeconds) {
        Round {
            tables = List.copyOf(tables);
        }
    }

    private AutovacuumRounds() {}

    /** Read line by line: a run whose calls failed can leave hundreds of megabytes of errors in the log. */
    static List<Round> read(Path postgresLog) throws IOException {
        if (!Files.exists(postgresLog)) {
            return List.of();
        }
        try (var lines = Files.lines(postgresLog, StandardCharsets.ISO_8859_1)) {
            return group(actions(lines::iterator));
        }
    }

    /** The actions on the public schema's tables; the catalog's own are too small to matter. */
    static List<Action> actions(Iterable<String> lines) {
        var actions = new ArrayList<Action>();
        Matcher pending = null;
        for (String line : lines) {
            Matcher action = ACTION.matcher(line);
            if (action.find()) {
                pending = action;
                continue;
            }
            Matcher usage = USAGE.matcher(line);
            if (pending != null && usage.find()) {
                actions.add(new Action(LocalDateTime.parse(pending.group(1), LOG_TIME).toInstant(ZoneOffset.UTC),
                        pending.group(2), pending.group(3),
                        Double.parseDouble(usage.group(1)) + Double.parseDouble(usage.group(2)),
                        Double.parseDouble(usage.group(3))));
                pending = null;
            }
        }
        return actions;
    }

    static List<Round> group(List<Action> actions) {
        var rounds = new ArrayList<Round>();
        var current = new ArrayList<Action>();
        for (Action action : actions) {
            if (!current.isEmpty() && started(action).isAfter(current.getLast().ended().plus(GAP))) {
                rounds.add(round(current));
                current.clear();
            }
            current.add(action);
        }
        if (!current.isEmpty()) {
            rounds.add(round(current));
        }
        return rounds;
    }

    private static Round round(List<Action> actions) {
        var tables = actions.stream().map(Action::table).distinct().toList();
        double cpu = actions.stream().mapToDouble(Action::cpuSeconds).sum();
        return new Round(started(actions.getFirst()), actions.getLast().ended(), tables, cpu);
    }

    private static Instant started(Action action) {
        return action.ended().minusMillis(Math.round(action.elapsedSeconds() * 1000));
    }
}
