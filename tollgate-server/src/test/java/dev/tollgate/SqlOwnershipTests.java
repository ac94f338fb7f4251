package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Alongside {@link ModularityTests}, which checks the Java dependencies between modules: each table (or view)
 * is owned by one module, and no module's SQL (its Java text blocks and the {@code .sql} files beside its
 * stores) names a table of another module, except the views a module publishes ({@link #PUBLISHED}) and the
 * reads and writes listed in {@link #ALLOWED}, each with its reason. A stale entry fails too, so the list
 * only shrinks. The console's and the portal's pages read through the core modules' APIs and need no entry.
 */
class SqlOwnershipTests {

    private static final Path MAIN = Path.of("src/main");

    /** Every table and view of the schema, with the module that owns it. */
    private static final Map<String, String> OWNER = Map.ofEntries(
            Map.entry("api_key", "platform"), Map.entry("idempotency_record", "platform"),
            Map.entry("account", "account"),
            Map.entry("plan", "plan"), Map.entry("subscription", "plan"), Map.entry("subscription_terms", "plan"),
            Map.entry("model_price", "pricing"),
            Map.entry("budget", "ledger"), Map.entry("ledger_entry", "ledger"), Map.entry("reservation", "ledger"),
            Map.entry("usage_record", "ledger"), Map.entry("usage_hourly", "ledger"),
            Map.entry("conversation", "ledger"), Map.entry("threshold_crossing", "ledger"),
            Map.entry("ledger_month", "ledger"), Map.entry("ledger_month_total", "ledger"),
            Map.entry("ledger_recorded", "ledger"),
            Map.entry("ledger_account_cut", "ledger"),
            Map.entry("event", "event"), Map.entry("webhook_endpoint", "event"),
            Map.entry("webhook_delivery", "event"),
            Map.entry("stripe_event", "billing"), Map.entry("stripe_subscription", "billing"),
            Map.entry("portal_link", "portal"), Map.entry("portal_session", "portal"),
            Map.entry("gateway_key", "gateway"),
            Map.entry("console_action", "console"), Map.entry("console_session", "console"));

    /** Views a module publishes for the others' statements to read; the view is its contract. */
    private static final Set<String> PUBLISHED = Set.of("subscription_terms");

    /** "module -> table" pairs that remain, and why. */
    private static final Map<String, String> ALLOWED = Map.ofEntries(
            // The hot path's two statements append their events in the same round trip (package-info of ledger).
            Map.entry("ledger -> event", "reserve.sql and settle.sql write reservation.approved and "
                    + "usage.committed into the outbox; the event module's trigger delivers them"),
            // Reports are read-only by definition: they sum what the ledger recorded.
            Map.entry("report -> usage_hourly", "usage totals"), Map.entry("report -> usage_record", "usage totals"),
            Map.entry("report -> ledger_entry", "reconciliation"), Map.entry("report -> budget", "reconciliation"),
            Map.entry("report -> reservation", "reconciliation"),
            Map.entry("report -> conversation", "reconciliation"),
            Map.entry("report -> ledger_month_total", "reconciliation sums the recorded closed months"),
            Map.entry("report -> ledger_account_cut", "reconciliation reads the entries after the recorded months"));

    private static final Pattern TABLE = Pattern.compile(
            "\\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES)\\s+([a-z_]+)\\b");

    @Test
    void no_module_names_another_modules_tables_beyond_the_allow_list() {
        assertThat(crossings()).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
    }

    @Test
    void every_table_and_view_of_the_migrations_has_an_owner() throws IOException {
        var created = new TreeSet<String>();
        var definition = Pattern.compile("CREATE (?:TABLE|VIEW) ([a-z_]+)");
        try (Stream<Path> migrations = Files.list(MAIN.resolve("resources/db/migration"))) {
            for (Path migration : migrations.toList()) {
                definition.matcher(Files.readString(migration)).results().forEach(m -> created.add(m.group(1)));
            }
        }
        assertThat(OWNER.keySet()).containsAll(created);
    }

    /** The "module -> table" pairs where a module's SQL names a table another module owns. */
    private static Set<String> crossings() {
        var found = new TreeMap<String, Set<String>>();
        sources().forEach(file -> {
            String module = moduleOf(file);
            TABLE.matcher(read(file)).results().map(m -> m.group(1)).filter(OWNER::containsKey)
                    .filter(table -> !OWNER.get(table).equals(module) && !PUBLISHED.contains(table))
                    .forEach(table -> found.computeIfAbsent(module + " -> " + table, k -> new TreeSet<>())
                            .add(file.toString()));
        });
        return found.keySet();
    }

    private static Stream<Path> sources() {
        try {
            return Stream.concat(
                    Files.walk(MAIN.resolve("java/dev/tollgate")).filter(p -> p.toString().endsWith(".java")),
                    Files.walk(MAIN.resolve("resources/dev/tollgate")).filter(p -> p.toString().endsWith(".sql")))
                    .filter(p -> !moduleOf(p).isEmpty())
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module a file belongs to: the first package below dev.tollgate; empty for the application class. */
    private static String moduleOf(Path file) {
        Path relative = file.subpath(MAIN.getNameCount() + 3, file.getNameCount());
        return relative.getNameCount() < 2 ? "" : relative.getName(0).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
