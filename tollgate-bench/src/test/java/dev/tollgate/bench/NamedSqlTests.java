package dev.tollgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamedSqlTests {

    @Test
    void named_parameters_become_positional_in_order_and_repeat_when_reused() {
        var sql = NamedSql.parse("SELECT :id, :now WHERE a = :id AND b > :now");

        assertThat(sql.sql()).isEqualTo("SELECT ?, ? WHERE a = ? AND b > ?");
        assertThat(sql.names()).containsExactly("id", "now", "id", "now");
    }

    @Test
    void casts_and_string_literals_are_left_alone() {
        var sql = NamedSql.parse("SELECT '{}'::jsonb, 'a:b', CAST(:data AS jsonb)");

        assertThat(sql.sql()).isEqualTo("SELECT '{}'::jsonb, 'a:b', CAST(? AS jsonb)");
        assertThat(sql.names()).containsExactly("data");
    }

    @Test
    void comments_are_kept_and_hold_neither_parameters_nor_quotes() {
        var sql = NamedSql.parse("-- the plan module's view, at :now\nSELECT :id -- and 'x\nFROM t");

        assertThat(sql.names()).containsExactly("id");
        assertThat(sql.sql()).isEqualTo("-- the plan module's view, at :now\nSELECT ? -- and 'x\nFROM t");
    }
}
