package dev.tollgate.bench;

import java.util.List;

/** Everything one run produced: written as results.json and, formatted, as results.md. */
record RunReport(
        String date,
        String command,
        Settings settings,
        Machine machine,
        List<ScenarioResult> scenarios,
        List<Target> targets,
        List<ProfileSummary> profiles,
        List<AutovacuumRounds.Round> autovacuumRounds,
        List<String> notes,
        String aborted) {

    /** The options that shape the figures. */
    record Settings(double durationSeconds, double warmupSeconds, double serverWarmupSeconds, int clients, int accounts, int contendedFits,
            long reportRows, int reportClients, boolean idempotencyKeys, boolean smoke, List<String> serverProperties,
            List<String> serverJvmOptions) {

        Settings {
            serverProperties = List.copyOf(serverProperties);
            serverJvmOptions = List.copyOf(serverJvmOptions);
        }

        static Settings of(Options options) {
            return new Settings(options.duration().toMillis() / 1000.0, options.warmup().toMillis() / 1000.0,
                    options.serverWarmup().toMillis() / 1000.0, options.clients(), options.accounts(), options.contendedFits(), options.reportRows(),
                    options.reportClients(), options.idempotencyKeys(), options.smoke(), options.serverProperties(),
                    options.serverJvmOptions());
        }
    }

    RunReport {
        scenarios = List.copyOf(scenarios);
        targets = List.copyOf(targets);
        profiles = List.copyOf(profiles);
        notes = List.copyOf(notes);
    }

    boolean correct() {
        return aborted.isEmpty() && scenarios.stream().allMatch(ScenarioResult::correct);
    }
}
