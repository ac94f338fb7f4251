package dev.tollgate.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.IntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rules that let the schema be distributed by account on Citus (README, "Scaling out"), read from the
 * live catalog of the migrated database, so that a migration which breaks one fails here. Citus cannot be
 * installed on the build machine; these are the rules it would enforce when the tables are distributed.
 *
 * <p>An account-scoped table is one with an {@code account_id} column, plus {@code account} itself, whose
 * {@code id} is the account id; each is distributed by that column. {@code idempotency_record} is
 * distributed by {@code idempotency_key} on its own (a commit's key names no account before it runs) and
 * is held to the same rules with that column. Every other table is global and becomes a reference table,
 * copied to every node.
 */
class SchemaRulesTests extends IntegrationTest {

    /**
     * Tables that have an {@code account_id} column and are global all the same. A Stripe event or
     * subscription may arrive before the account it names is known, so its account_id is NULL for a while,
     * and Citus refuses NULL in a distribution column; both are written a few times per subscription, which a
     * reference table handles. A console action names an account only when it acted on one (a price or a
     * plan has none), and operators take a few a day. Like every global table, they must not reference an
     * account-scoped one.
     */
    static final List<String> GLOBAL_TABLES_WITH_ACCOUNT_ID = List.of("stripe_event", "stripe_subscription",
            "console_action");

    private static final String BAD_SCHEMA = "schema_rules_bad";

    /** A key or foreign key that Citus would refuse, by table and constraint (or index) name. */
    record Violation(String table, String name, String definition) {}

    @Test
    void every_primary_key_and_unique_index_of_a_distributed_table_includes_its_distribution_column() {
        assertThat(keysWithoutAccount(sql, currentSchema())).isEmpty();
    }

    @Test
    void foreign_keys_between_account_scoped_tables_pair_their_account_ids() {
        assertThat(foreignKeysAcrossAccounts(sql, currentSchema())).isEmpty();
    }

    @Test
    void no_global_table_references_an_account_scoped_table() {
        assertThat(globalReferencesToAccounts(sql, currentSchema())).isEmpty();
    }

    @Test
    void the_global_tables_with_an_account_id_exist_as_listed() {
        var listed = sql.sql("""
                        SELECT c.relname
                          FROM pg_class c
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'account_id' AND NOT a.attisdropped
                         WHERE n.nspname = :schema AND c.relname = ANY(:tables)
                        """)
                .param("schema", currentSchema())
                .param("tables", GLOBAL_TABLES_WITH_ACCOUNT_ID.toArray(String[]::new))
                .query(String.class)
                .list();
        // A stale entry would exempt whatever table later takes its name.
        assertThat(listed).containsExactlyInAnyOrderElementsOf(GLOBAL_TABLES_WITH_ACCOUNT_ID);
    }

    @Test
    void the_rules_report_keys_and_foreign_keys_that_would_split_an_account_across_shards() {
        sql.sql("DROP SCHEMA IF EXISTS " + BAD_SCHEMA + " CASCADE").update();
        try {
            sql.sql("""
                    CREATE SCHEMA %1$s;
                    CREATE TABLE %1$s.account (id text PRIMARY KEY);
                    -- A key of its own id alone: two shards could each hold a row with the same id.
                    CREATE TABLE %1$s.t (id bigint PRIMARY KEY, account_id text REFERENCES %1$s.account (id));
                    -- A unique index without the account, and a foreign key to t by id alone.
                    CREATE TABLE %1$s.u (account_id text NOT NULL, code text, t_id bigint REFERENCES %1$s.t (id),
                                        PRIMARY KEY (account_id, code));
                    CREATE UNIQUE INDEX u_code ON %1$s.u (code);
                    -- A global table (no account_id) referencing an account-scoped one.
                    CREATE TABLE %1$s.g (id text PRIMARY KEY, t_id bigint REFERENCES %1$s.t (id));
                    -- Compliant: the account leads the key and pairs in the foreign key.
                    CREATE TABLE %1$s.ok (account_id text NOT NULL REFERENCES %1$s.account (id), id bigint,
                                         u_code text, PRIMARY KEY (account_id, id),
                                         FOREIGN KEY (account_id, u_code) REFERENCES %1$s.u (account_id, code));
                    """.formatted(BAD_SCHEMA)).update();

            assertThat(keysWithoutAccount(sql, BAD_SCHEMA)).extracting(Violation::table, Violation::name)
                    .containsExactlyInAnyOrder(
                            tuple("t", "t_pkey"),
                            tuple("u", "u_code"));
            assertThat(foreignKeysAcrossAccounts(sql, BAD_SCHEMA)).extracting(Violation::table, Violation::name)
                    .containsExactly(tuple("u", "u_t_id_fkey"));
            assertThat(globalReferencesToAccounts(sql, BAD_SCHEMA)).extracting(Violation::table, Violation::name)
                    .containsExactly(tuple("g", "g_t_id_fkey"));
        } finally {
            sql.sql("DROP SCHEMA IF EXISTS " + BAD_SCHEMA + " CASCADE").update();
        }
    }

    private String currentSchema() {
        return sql.sql("SELECT current_schema()").query(String.class).single();
    }

    /**
     * The account-scoped tables of a schema with the column each is distributed by. Partitions are left
     * out: they carry their parent's keys.
     */
    private static final String SCOPED = """
            WITH scoped AS (
                SELECT c.oid, c.relname, a.attnum AS distribution_column
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
                       AND a.attname = CASE c.relname WHEN 'account' THEN 'id'
                                                      WHEN 'idempotency_record' THEN 'idempotency_key'
                                                      ELSE 'account_id' END
                 WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND NOT (c.relname = ANY(:globalTables))
            )
            """;

    /** Primary keys, unique constraints and unique indexes whose key columns lack the distribution column. */
    static List<Violation> keysWithoutAccount(JdbcClient sql, String schema) {
        return violations(sql, schema, SCOPED + """
                SELECT s.relname AS table_name, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
                  FROM scoped s
                  JOIN pg_index x ON x.indrelid = s.oid AND x.indisunique
                  JOIN pg_class i ON i.oid = x.indexrelid
                 WHERE NOT (s.distribution_column = ANY ((x.indkey::int2[])[0 : x.indnkeyatts - 1]))
                 ORDER BY 1, 2
                """);
    }

    /** Foreign keys from one account-scoped table to another that do not map account_id onto account_id. */
    static List<Violation> foreignKeysAcrossAccounts(JdbcClient sql, String schema) {
        return violations(sql, schema, SCOPED + """
                SELECT source.relname AS table_name, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
                  FROM pg_constraint k
                  JOIN scoped source ON source.oid = k.conrelid
                  JOIN scoped target ON target.oid = k.confrelid
                 WHERE k.contype = 'f'
                   AND NOT EXISTS (SELECT 1
                                     FROM unnest(k.conkey, k.confkey) AS pair(from_column, to_column)
                                    WHERE pair.from_column = source.distribution_column
                                      AND pair.to_column = target.distribution_column)
                 ORDER BY 1, 2
                """);
    }

    /** Foreign keys from a global table to an account-scoped one: Citus refuses them on a reference table. */
    static List<Violation> globalReferencesToAccounts(JdbcClient sql, String schema) {
        return violations(sql, schema, SCOPED + """
                SELECT source.relname AS table_name, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
                  FROM pg_constraint k
                  JOIN pg_class source ON source.oid = k.conrelid
                  JOIN scoped target ON target.oid = k.confrelid
                 WHERE k.contype = 'f' AND NOT source.relispartition
                   AND k.conrelid NOT IN (SELECT oid FROM scoped)
                 ORDER BY 1, 2
                """);
    }

    private static List<Violation> violations(JdbcClient sql, String schema, String query) {
        return sql.sql(query)
                .param("schema", schema)
                .param("globalTables", GLOBAL_TABLES_WITH_ACCOUNT_ID.toArray(String[]::new))
                .query((rs, row) -> new Violation(rs.getString("table_name"), rs.getString("name"),
                        rs.getString("definition")))
                .list();
    }
}
