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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link DatabaseMetaData} claims, checked: each feature it says Duet supports is used in a
 * query here (and answers like DuckDB does where it returns rows), and each it denies fails.
 */
class DatabaseMetaDataClaimsTest {
    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int c = 1; c <= n; c++) {
                    line.append(c == 1 ? "" : ",").append(rs.getString(c));
                }
                out.add(line.toString());
            }
        }
        return out;
    }

    @Test
    void everyClaimedFeatureWorksAndAgreesWithDuckDb() throws SQLException {
        String[] setup = {
            "CREATE TABLE a (id INTEGER PRIMARY KEY, g INTEGER, v VARCHAR(10))",
            "INSERT INTO a VALUES (1, 1, 'x_1'), (2, 1, 'x%2'), (3, 2, NULL), (4, NULL, 'y')",
            "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER)",
            "INSERT INTO b VALUES (10, 1), (11, 1), (12, 5)",
        };
        try (Connection duet = DriverManager.getConnection("jdbc:duet:mem:"); Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = duet.createStatement(); Statement d = duck.createStatement()) {
            for (String sql : setup) {
                s.execute(sql);
                d.execute(sql);
            }
            DatabaseMetaData md = duet.getMetaData();
            List<String[]> claims = new ArrayList<>();
            claims.add(new String[] {"supportsColumnAliasing", "SELECT id AS k FROM a ORDER BY k"});
            claims.add(new String[] {"supportsTableCorrelationNames", "SELECT t.id FROM a t ORDER BY t.id"});
            claims.add(new String[] {"supportsExpressionsInOrderBy", "SELECT id FROM a ORDER BY id % 2, id"});
            claims.add(new String[] {"supportsOrderByUnrelated", "SELECT v FROM a WHERE v IS NOT NULL ORDER BY id DESC"});
            claims.add(new String[] {"supportsGroupBy", "SELECT g, count(*) FROM a GROUP BY g ORDER BY g"});
            claims.add(new String[] {"supportsGroupByUnrelated", "SELECT count(*) FROM a GROUP BY g ORDER BY 1"});
            claims.add(new String[] {"supportsLikeEscapeClause", "SELECT id FROM a WHERE v LIKE 'x!_%' ESCAPE '!' ORDER BY id"});
            claims.add(new String[] {"supportsOuterJoins", "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id ORDER BY 1, 2"});
            claims.add(new String[] {"supportsFullOuterJoins", "SELECT a.id, b.id FROM a FULL JOIN b ON a.id = b.a_id ORDER BY 1, 2"});
            claims.add(new String[] {"supportsSubqueriesInComparisons", "SELECT id FROM a WHERE id = (SELECT max(a_id) FROM b WHERE a_id < 5)"});
            claims.add(new String[] {"supportsSubqueriesInExists", "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id) ORDER BY id"});
            claims.add(new String[] {"supportsSubqueriesInIns", "SELECT id FROM a WHERE id IN (SELECT a_id FROM b) ORDER BY id"});
            claims.add(new String[] {"supportsSubqueriesInQuantifieds", "SELECT id FROM a WHERE id > ALL (SELECT a_id FROM b WHERE a_id < 2) ORDER BY id"});
            claims.add(new String[] {"supportsCorrelatedSubqueries", "SELECT id, (SELECT count(*) FROM b WHERE b.a_id = a.id) FROM a ORDER BY id"});
            claims.add(new String[] {"supportsUnion", "SELECT id FROM a UNION SELECT a_id FROM b ORDER BY 1"});
            claims.add(new String[] {"supportsUnionAll", "SELECT g FROM a UNION ALL SELECT a_id FROM b ORDER BY 1"});
            claims.add(new String[] {"nullPlusNonNullIsNull", "SELECT id, g + 1 FROM a ORDER BY id"});
            claims.add(new String[] {"nullsAreSortedHigh", "SELECT g FROM a ORDER BY g"});
            // DuckDB's default schema is main, Duet's public (SQL cannot create others yet).
            claims.add(new String[] {"supportsSchemasInDataManipulation", "SELECT public.a.id FROM public.a ORDER BY 1",
                "SELECT main.a.id FROM main.a ORDER BY 1"});
            for (String[] claim : claims) {
                boolean claimed = (Boolean) DatabaseMetaData.class.getMethod(claim[0]).invoke(md);
                assertTrue(claimed, claim[0] + " is claimed");
                assertEquals(rows(d, claim[claim.length - 1]), rows(s, claim[1]), claim[0] + ": " + claim[1]);
            }
            assertFalse(md.supportsAlterTableWithAddColumn());
            ResultSetConversionsTest.assertSqlState("42601", () -> s.execute("ALTER TABLE a ADD COLUMN z INTEGER"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ddlInsideATransactionRollsBack() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:"); Statement st = c.createStatement()) {
            assertTrue(c.getMetaData().supportsDataDefinitionAndDataManipulationTransactions());
            assertFalse(c.getMetaData().dataDefinitionCausesTransactionCommit());
            c.setAutoCommit(false);
            st.execute("CREATE TABLE gone (id INTEGER)");
            st.execute("INSERT INTO gone VALUES (1)");
            c.rollback();
            assertFalse(c.getMetaData().getTables(null, null, "gone", null).next());
        }
    }
}
