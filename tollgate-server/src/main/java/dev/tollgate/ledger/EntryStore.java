package dev.tollgate.ledger;

import static dev.tollgate.platform.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code ledger_entry} table: append-only (a trigger refuses UPDATE and DELETE), read newest first. */
@Repository
class EntryStore {

    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private static final String APPEND = """
            INSERT INTO ledger_entry (account_id, meter, type, amount, balance_after, description,
                                      reference, actor, metadata, created_at)
            SELECT a, m, t, amt, bal, d, r, act, CAST(md AS jsonb), :now
              FROM unnest(CAST(:accounts AS text[]), CAST(:meters AS text[]), CAST(:types AS text[]),
                          CAST(:amounts AS bigint[]), CAST(:balances AS bigint[]),
                          CAST(:descriptions AS text[]), CAST(:references AS text[]),
                          CAST(:actors AS text[]), CAST(:metadata AS text[]))
                   WITH ORDINALITY AS e(a, m, t, amt, bal, d, r, act, md, position)
             ORDER BY position
            RETURNING id, account_id, meter, type, amount, balance_after, description, reference, actor, metadata,
                      created_at
            """;

    private static final String ENTRIES = """
            SELECT id, account_id, meter, type, amount, balance_after, description, reference, actor, metadata,
                   created_at
              FROM ledger_entry
             WHERE account_id = :accountId AND id < :beforeId
               AND (CAST(:meter AS text) IS NULL OR meter = CAST(:meter AS text))
             ORDER BY id DESC
             LIMIT :limit
            """;

    private static final String BY_REFERENCE = """
            SELECT id, account_id, meter, type, amount, balance_after, description, reference, actor, metadata,
                   created_at
              FROM ledger_entry
             WHERE account_id = :accountId AND type = :type AND reference = :reference
             ORDER BY id
             LIMIT 1
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    EntryStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    List<LedgerEntry> append(List<NewEntry> entries, Instant now) {
        if (entries.isEmpty()) {
            return List.of();
        }
        return bind(jdbc.sql(APPEND), entries).param("now", ts(now)).query(this::entry).list();
    }

    /** Appends many entries without mapping them back (signup grants of a backfill): the rows are skipped. */
    void appendAll(List<NewEntry> entries, Instant now) {
        if (!entries.isEmpty()) {
            bind(jdbc.sql(APPEND), entries).param("now", ts(now)).query(rs -> {});
        }
    }

    /** Binds the entry arrays of {@link #APPEND}, whose INSERT the settling statements embed. */
    JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, List<NewEntry> entries) {
        int n = entries.size();
        String[] accounts = new String[n];
        String[] meters = new String[n];
        String[] types = new String[n];
        Long[] amounts = new Long[n];
        Long[] balances = new Long[n];
        String[] descriptions = new String[n];
        String[] references = new String[n];
        String[] actors = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            var e = entries.get(i);
            accounts[i] = e.accountId();
            meters[i] = e.meter().wireName();
            types[i] = e.type().wireName();
            amounts[i] = e.amount();
            balances[i] = e.balanceAfter();
            descriptions[i] = e.description();
            references[i] = e.reference();
            actors[i] = e.actor();
            metadata[i] = json.writeValueAsString(e.metadata());
        }
        return statement
                .param("accounts", accounts)
                .param("meters", meters)
                .param("types", types)
                .param("amounts", amounts)
                .param("balances", balances)
                .param("descriptions", descriptions)
                .param("references", references)
                .param("actors", actors)
                .param("metadata", metadata);
    }

    List<LedgerEntry> entries(String accountId, @Nullable Meter meter, long beforeId, int limit) {
        return jdbc.sql(ENTRIES)
                .param("accountId", accountId)
                .param("meter", meter == null ? null : meter.wireName())
                .param("beforeId", beforeId)
                .param("limit", limit)
                .query(this::entry)
                .list();
    }

    Optional<LedgerEntry> entryByReference(String accountId, EntryType type, String reference) {
        return jdbc.sql(BY_REFERENCE)
                .param("accountId", accountId)
                .param("type", type.wireName())
                .param("reference", reference)
                .query(this::entry)
                .optional();
    }

    private LedgerEntry entry(ResultSet rs, int row) throws SQLException {
        return new LedgerEntry(rs.getLong("id"), rs.getString("account_id"), Meter.ofWireName(rs.getString("meter")),
                EntryType.ofWireName(rs.getString("type")), rs.getLong("amount"), rs.getLong("balance_after"),
                rs.getString("description"), rs.getString("reference"), rs.getString("actor"),
                json.readValue(rs.getString("metadata"), MAP), rs.getTimestamp("created_at").toInstant());
    }
}
