package dev.duet.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DatabaseMetaData of views (getTables with type VIEW, getTableTypes, getColumns) and secondary
 * indexes (getIndexInfo beside the primary key), following DDL run through the driver, also
 * inside a transaction that is rolled back.
 */
class ViewsAndIndexesMetaDataTest {
    /** Each row of {@code rs} as the listed columns' strings joined by {@code |}; closes it. */
    private static List<String> rows(ResultSet rs, String... columns) throws SQLException {
        List<String> out = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (String c : columns) {
                    row.add(rs.getString(c));
                }
                out.add(String.join("|", row));
            }
        }
        return out;
    }

    @Test
    void viewsAndIndexesAreListed() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, a INTEGER NOT NULL, b VARCHAR(10), c DOUBLE)");
            s.execute("CREATE VIEW v AS SELECT id, b, a * 2 AS twice FROM t WHERE c > 0");
            s.execute("CREATE VIEW agg AS SELECT b, count(*) AS n FROM t GROUP BY b");
            s.execute("CREATE UNIQUE INDEX t_b_a ON t (b, a)");
            s.execute("CREATE INDEX t_c ON t (c)");
            DatabaseMetaData md = c.getMetaData();

            assertEquals(List.of("TABLE", "VIEW"), rows(md.getTableTypes(), "TABLE_TYPE"));
            assertEquals(List.of("public|t|TABLE", "public|agg|VIEW", "public|v|VIEW"),
                    rows(md.getTables(null, null, "%", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"));
            assertEquals(List.of("v|VIEW"), rows(md.getTables(null, "public", "v", new String[] {"VIEW"}),
                    "TABLE_NAME", "TABLE_TYPE"));
            assertEquals(List.of("t"), rows(md.getTables(null, null, "%", new String[] {"TABLE"}), "TABLE_NAME"));

            assertEquals(List.of("v|id|" + Types.BIGINT + "|1", "v|b|" + Types.VARCHAR + "|2", "v|twice|" + Types.INTEGER + "|3"),
                    rows(md.getColumns(null, null, "v", "%"), "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "ORDINAL_POSITION"));
            // every column of every relation, ordered by schema, name, position: views between tables
            assertEquals(List.of("agg|b", "agg|n", "t|id", "t|a", "t|b", "t|c", "v|id", "v|b", "v|twice"),
                    rows(md.getColumns(null, null, "%", "%"), "TABLE_NAME", "COLUMN_NAME"));

            // ordered by NON_UNIQUE, INDEX_NAME, ORDINAL_POSITION (getString of a boolean is PostgreSQL's t/f)
            assertEquals(List.of("f|t_b_a|1|b", "f|t_b_a|2|a", "f|t_pkey|1|id", "t|t_c|1|c"),
                    rows(md.getIndexInfo(null, "public", "t", false, true),
                            "NON_UNIQUE", "INDEX_NAME", "ORDINAL_POSITION", "COLUMN_NAME"));
            assertEquals(List.of("t_b_a", "t_b_a", "t_pkey"),
                    rows(md.getIndexInfo(null, null, "t", true, true), "INDEX_NAME"));
            assertEquals(List.of(), rows(md.getIndexInfo(null, null, "v", false, true), "INDEX_NAME"));

            // DDL rolled back leaves the metadata as it was
            c.setAutoCommit(false);
            s.execute("DROP VIEW v");
            s.execute("DROP INDEX t_c");
            s.execute("CREATE VIEW w AS SELECT 1 AS one");
            assertEquals(List.of("t", "agg", "w"), rows(md.getTables(null, null, "%", null), "TABLE_NAME"));
            assertEquals(List.of("t_b_a", "t_b_a", "t_pkey"), rows(md.getIndexInfo(null, null, "t", false, true), "INDEX_NAME"));
            c.rollback();
            assertEquals(List.of("t", "agg", "v"), rows(md.getTables(null, null, "%", null), "TABLE_NAME"));
            assertEquals(List.of("t_b_a", "t_b_a", "t_pkey", "t_c"),
                    rows(md.getIndexInfo(null, null, "t", false, true), "INDEX_NAME"));
            c.setAutoCommit(true);
            s.execute("DROP VIEW agg");
            assertFalse(rows(md.getTables(null, null, "agg", null), "TABLE_NAME").contains("agg"));
            assertTrue(rows(md.getColumns(null, null, "agg", "%"), "COLUMN_NAME").isEmpty());
            assertEquals(0, c.unwrap(DuetConnection.class).duet().allocator().getAllocatedMemory(),
                    "metadata results freed");
        }
    }
}
