package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.parquet.DuckDbRows;
import dev.duet.columnstore.parquet.ParquetWriteOptions;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.engine.Duet;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY ... TO / FROM Parquet files and the embedded export/import API, with DuckDB reading the
 * files Duet writes (same rows, same SQL types) and writing the files Duet reads.
 */
class CopyParquetTest {
    static final String ALL_TYPES_COLUMNS = "id BIGINT NOT NULL, b BOOLEAN, s SMALLINT, i INTEGER, l BIGINT, r REAL,"
            + " d DOUBLE PRECISION, d9 DECIMAL(9,2), d18 DECIMAL(18,4), d38 DECIMAL(38,10), v VARCHAR(12), t TEXT,"
            + " dt DATE, ts TIMESTAMP, bin BYTEA, PRIMARY KEY (id)";
    static final List<DataType> ALL_TYPES = List.of(DataType.BIGINT, DataType.BOOLEAN, DataType.SMALLINT,
            DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE, DataType.decimal(9, 2),
            DataType.decimal(18, 4), DataType.decimal(38, 10), DataType.varchar(12), DataType.TEXT, DataType.DATE,
            DataType.TIMESTAMP, DataType.BYTEA);
    static final List<String> DUCKDB_TYPES = List.of("BIGINT", "BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "FLOAT",
            "DOUBLE", "DECIMAL(9,2)", "DECIMAL(18,4)", "DECIMAL(38,10)", "VARCHAR", "VARCHAR", "DATE", "TIMESTAMP",
            "BLOB");

    @TempDir
    Path dir;
    Duet duet;
    Session session;
    Connection duck;

    @BeforeEach
    void setUp() throws SQLException {
        duet = Duet.inMemory();
        session = duet.newSession();
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void tearDown() throws SQLException {
        duck.close();
        session.close();
        assertEquals(0, duet.allocator().getAllocatedMemory(), "every statement's memory was freed");
        duet.close();
    }

    /** Fills all_types (created with {@code name}) with extremes, a row of NULLs and random rows. */
    void createAllTypes(String name, int randomRows) {
        run(session, "CREATE TABLE " + name + " (" + ALL_TYPES_COLUMNS + ")");
        Prepared insert = session.prepare("INSERT INTO " + name + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        BigDecimal max38 = new BigDecimal(BigInteger.TEN.pow(38).subtract(BigInteger.ONE), 10);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {0L, true, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Float.MAX_VALUE,
            Double.MAX_VALUE, new BigDecimal("9999999.99"), new BigDecimal("99999999999999.9999"), max38, "",
            "😀 non-BMP 𝄞", LocalDate.of(9999, 12, 31), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
            new byte[0]});
        rows.add(new Object[] {1L, false, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, -Float.MAX_VALUE,
            -Double.MAX_VALUE, new BigDecimal("-9999999.99"), new BigDecimal("-99999999999999.9999"), max38.negate(),
            "𝄞𝄞", "", LocalDate.of(1, 1, 1), LocalDateTime.of(1000, 1, 1, 0, 0, 0, 1000),
            new byte[] {0, (byte) 0xff}});
        Object[] nulls = new Object[ALL_TYPES.size()];
        nulls[0] = 2L;
        rows.add(nulls);
        Random rnd = new Random(5);
        for (int n = 0; n < randomRows; n++) {
            Object[] row = new Object[ALL_TYPES.size()];
            row[0] = (long) rows.size();
            for (int c = 1; c < row.length; c++) {
                row[c] = rnd.nextInt(5) == 0 ? null : random(rnd, ALL_TYPES.get(c));
            }
            rows.add(row);
        }
        for (Object[] row : rows) {
            session.execute(insert, Arrays.asList(row)).close();
        }
    }

    static Object random(Random rnd, DataType t) {
        return switch (t.kind()) {
            case BOOLEAN -> rnd.nextBoolean();
            case SMALLINT -> (short) rnd.nextInt();
            case INTEGER -> rnd.nextInt();
            case BIGINT -> rnd.nextLong();
            case REAL -> (float) rnd.nextGaussian();
            case DOUBLE -> rnd.nextGaussian() * 1e6;
            case DECIMAL -> new BigDecimal(BigInteger.valueOf(rnd.nextLong() % 1_000_000_000L), t.scale());
            case VARCHAR -> "s" + rnd.nextInt(1000) + (rnd.nextBoolean() ? "é中" : "😀");
            case DATE -> LocalDate.ofEpochDay(rnd.nextInt(40_000) - 10_000);
            case TIMESTAMP -> Values.fromEpochMicros(rnd.nextLong() % 3_000_000_000_000_000L);
            case BYTEA -> {
                byte[] b = new byte[rnd.nextInt(8)];
                rnd.nextBytes(b);
                yield b;
            }
        };
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    /** DuckDB's rows of {@code sql}, each value read as the canonical Java form of its type, rendered. */
    List<String> duckRows(String sql, List<DataType> types) throws SQLException {
        return DuckDbRows.render(DuckDbRows.query(duck, sql, types));
    }

    List<String> duetRows(String sql) {
        return query(session, sql).stream().map(row -> DuckDbRows.render(row.toArray())).toList();
    }

    List<String> duckTypes(String sql) throws SQLException {
        return DuckDbRows.types(duck, sql);
    }

    void duck(String sql) throws SQLException {
        try (Statement s = duck.createStatement()) {
            s.execute(sql);
        }
    }

    long copy(String sql) {
        try (Result r = session.execute(sql)) {
            assertTrue(r.commandTag().startsWith("COPY "), r.commandTag());
            assertEquals("COPY " + r.updateCount(), r.commandTag());
            return r.updateCount();
        }
    }

    @Test
    void copyTableToParquetReadsTheSameInDuckDb() throws SQLException {
        createAllTypes("all_types", 500);
        for (String compression : List.of("zstd", "snappy", "none")) {
            String f = file("all-" + compression + ".parquet");
            assertEquals(503, copy("COPY all_types TO '" + f + "' (FORMAT parquet, COMPRESSION " + compression
                    + ", ROW_GROUP_SIZE 100)"));
            String sql = "SELECT * FROM read_parquet('" + f + "') ORDER BY id";
            assertEquals(DUCKDB_TYPES, duckTypes(sql));
            assertEquals(duetRows("SELECT * FROM all_types ORDER BY id"), duckRows(sql, ALL_TYPES));
        }
    }

    @Test
    void copyQueryWithJoinsAndFiltersToParquet() throws SQLException {
        createAllTypes("all_types", 300);
        run(session, "CREATE TABLE tags (id BIGINT, tag TEXT, weight DECIMAL(5,1))");
        for (int i = 0; i < 300; i += 3) {
            run(session, "INSERT INTO tags VALUES (" + i + ", 'tag" + (i % 7) + "', " + (i % 50) + ".5)");
        }
        String q = "SELECT a.id, a.v, t.tag, a.d18 * 2 AS twice, t.weight, a.ts, a.dt, a.s + 1 AS nxt, a.id AS id2"
                + " FROM all_types a JOIN tags t ON a.id = t.id WHERE a.i IS NULL OR a.i > 0 ORDER BY a.id DESC";
        String f = file("join.parquet");
        long n = copy("COPY (" + q + ") TO '" + f + "' (FORMAT parquet)");
        List<String> expected = duetRows(q);
        assertEquals(expected.size(), n);
        assertTrue(n > 10, "the query selects rows");
        List<DataType> types = List.of(DataType.BIGINT, DataType.TEXT, DataType.TEXT, DataType.decimal(19, 4),
                DataType.decimal(5, 1), DataType.TIMESTAMP, DataType.DATE, DataType.INTEGER, DataType.BIGINT);
        String sql = "SELECT * FROM read_parquet('" + f + "')";
        assertEquals(expected, duckRows(sql, types), "file order is the query's order");
        List<String> duckTypes = duckTypes(sql);
        assertEquals(List.of("BIGINT", "VARCHAR", "VARCHAR"), duckTypes.subList(0, 3));
        assertTrue(duckTypes.get(3).startsWith("DECIMAL("), duckTypes.get(3));
        assertEquals(List.of("DECIMAL(5,1)", "TIMESTAMP", "DATE", "INTEGER", "BIGINT"), duckTypes.subList(4, 9));
        // aggregates: the file's types are those of the rows Duet returns
        String agg = "SELECT t.tag, count(*) AS n, sum(a.d9) AS s9, min(a.d38) AS m38, max(a.ts) AS last_ts,"
                + " sum(a.l) AS sl, min(a.v) AS mv FROM all_types a JOIN tags t ON a.id = t.id GROUP BY t.tag ORDER BY t.tag";
        String aggFile = file("agg.parquet");
        List<String> aggRows = duetRows(agg);
        assertEquals(aggRows.size(), copy("COPY (" + agg + ") TO '" + aggFile + "' (FORMAT parquet)"));
        List<DataType> aggTypes;
        try (Result r = session.execute(agg)) {
            aggTypes = r.columns().stream().map(dev.duet.planner.OutputColumn::type).toList();
        }
        assertEquals(aggRows, duckRows("SELECT * FROM read_parquet('" + aggFile + "')", aggTypes));
        // a duplicate output name gets a suffix: Parquet names are unique
        String dup = file("dup.parquet");
        copy("COPY (SELECT id, id FROM tags ORDER BY 1) TO '" + dup + "' (FORMAT parquet)");
        assertEquals(List.of("id", "id_1"), columnNames("SELECT * FROM read_parquet('" + dup + "')"));
    }

    List<String> columnNames(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE " + sql)) {
            while (rs.next()) {
                out.add(rs.getString("column_name"));
            }
        }
        return out;
    }

    @Test
    void copyFromDuckDbFileEqualsDuckDbRows() throws SQLException {
        String f = file("duck.parquet");
        duck("CREATE TABLE src AS SELECT range AS id,"
                + " CASE WHEN range % 7 = 0 THEN NULL ELSE range % 2 = 0 END AS b,"
                + " (range % 30000)::SMALLINT AS s, CASE WHEN range % 5 = 0 THEN NULL ELSE (range * 7919)::INTEGER END AS i,"
                + " range * 1000003 AS l, (range / 7.0)::REAL AS r, range / 3.0 AS d,"
                + " (range / 100.0)::DECIMAL(9,2) AS d9, (range * 1.0001)::DECIMAL(18,4) AS d18,"
                + " (range * 12345678901234567.0123456789)::DECIMAL(38,10) AS d38,"
                + " 'v' || range AS v, CASE WHEN range % 3 = 0 THEN NULL ELSE repeat('😀x', (range % 5)::INTEGER) END AS t,"
                + " DATE '1970-01-01' + (range * 3)::INTEGER AS dt, TIMESTAMP '1960-01-01 00:00:00' + range * INTERVAL 1 HOUR"
                + " + range * INTERVAL 7 MICROSECOND AS ts, CASE WHEN range % 4 = 0 THEN NULL ELSE encode('b' || (range % 256)::VARCHAR) END AS bin"
                + " FROM range(3000)");
        duck("COPY src TO '" + f + "' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
        run(session, "CREATE TABLE dst (" + ALL_TYPES_COLUMNS + ")");
        assertEquals(3000, copy("COPY dst FROM '" + f + "' (FORMAT parquet)"));
        assertEquals(duckRows("SELECT * FROM src ORDER BY id", ALL_TYPES), duetRows("SELECT * FROM dst ORDER BY id"));
    }

    @Test
    void roundTripDuetFileDuetAndColumnLists() {
        createAllTypes("all_types", 200);
        String f = file("rt.parquet");
        copy("COPY all_types TO '" + f + "'"); // FORMAT inferred from the .parquet name
        run(session, "CREATE TABLE again (" + ALL_TYPES_COLUMNS + ")");
        assertEquals(203, copy("COPY again FROM '" + f + "' (FORMAT parquet)"));
        assertEquals(duetRows("SELECT * FROM all_types ORDER BY id"), duetRows("SELECT * FROM again ORDER BY id"));

        String two = file("two.parquet");
        copy("COPY all_types (id, v) TO '" + two + "' (FORMAT parquet)");
        run(session, "CREATE TABLE narrow (k BIGINT, note VARCHAR(20), flag BOOLEAN DEFAULT true, x DOUBLE PRECISION)");
        assertEquals(203, copy("COPY narrow (k, note) FROM '" + two + "' (FORMAT parquet)"));
        assertEquals(duetRows("SELECT id, v, true, CAST(NULL AS DOUBLE PRECISION) FROM all_types ORDER BY id"),
                duetRows("SELECT k, note, flag, x FROM narrow ORDER BY k"));
        // integers widen into wider numeric columns
        run(session, "CREATE TABLE wide (id DECIMAL(30,0), v TEXT)");
        assertEquals(203, copy("COPY wide FROM '" + two + "' (FORMAT parquet)"));
        assertEquals(duetRows("SELECT CAST(id AS DECIMAL(30,0)), v FROM all_types ORDER BY id"),
                duetRows("SELECT * FROM wide ORDER BY id"));
    }

    @Test
    void embeddedExportAndImportUseTheSameMechanism() throws SQLException {
        createAllTypes("all_types", 100);
        Path f = dir.resolve("api.parquet");
        assertEquals(103, duet.exportParquet("SELECT * FROM all_types WHERE id < 1000 ORDER BY id", f,
                ParquetWriteOptions.defaults()));
        assertEquals(duetRows("SELECT * FROM all_types ORDER BY id"),
                duckRows("SELECT * FROM read_parquet('" + f + "')", ALL_TYPES));
        DuetException exists = assertFails(SqlState.DUPLICATE_FILE,
                () -> duet.exportParquet("SELECT 1 AS x", f, ParquetWriteOptions.defaults()));
        assertTrue(exists.getMessage().contains("exists"), exists.getMessage());
        run(session, "CREATE TABLE imported (" + ALL_TYPES_COLUMNS + ")");
        assertEquals(103, duet.importParquet("imported", f));
        assertEquals(duetRows("SELECT * FROM all_types ORDER BY id"), duetRows("SELECT * FROM imported ORDER BY id"));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> duet.importParquet("imported", f));
        assertFails(SqlState.UNDEFINED_TABLE, () -> duet.importParquet("nope", f));
        assertFails(SqlState.INVALID_PARAMETER_VALUE, () -> duet.exportParquet("DELETE FROM imported", f,
                ParquetWriteOptions.defaults()));
        assertEquals(103L, query(session, "SELECT count(*) FROM imported").get(0).get(0));
    }

    @Test
    void errorsHaveTheirSqlStates() throws Exception {
        run(session, "CREATE TABLE t (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id))");
        run(session, "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        assertFails(SqlState.UNDEFINED_FILE, () -> session.execute("COPY t FROM '" + file("missing.parquet") + "' (FORMAT parquet)"));
        assertFails(SqlState.UNDEFINED_FILE, () -> session.execute("COPY t TO '" + file("no/dir/x.parquet") + "' (FORMAT parquet)"));
        assertFails(SqlState.FEATURE_NOT_SUPPORTED, () -> session.execute("COPY t TO '" + file("x.csv") + "' (FORMAT csv)"));
        assertFails(SqlState.FEATURE_NOT_SUPPORTED, () -> session.execute("COPY t TO '" + file("x.txt") + "'"));
        assertFails(SqlState.FEATURE_NOT_SUPPORTED, () -> session.execute("COPY t TO STDOUT"));
        assertFails(SqlState.FEATURE_NOT_SUPPORTED, () -> session.execute("COPY t FROM STDIN"));
        assertFails(SqlState.SYNTAX_ERROR, () -> session.execute("COPY t TO '" + file("x.parquet") + "' (FORMAT parquet, HEADER)"));
        assertFails(SqlState.INVALID_PARAMETER_VALUE,
                () -> session.execute("COPY t TO '" + file("x.parquet") + "' (FORMAT parquet, COMPRESSION lz77)"));
        assertFalse(Files.exists(dir.resolve("x.parquet")), "a failed COPY TO leaves no file");

        Path notParquet = Files.writeString(dir.resolve("notes.parquet"), "just text");
        assertFails(SqlState.BAD_COPY_FILE_FORMAT, () -> session.execute("COPY t FROM '" + notParquet + "' (FORMAT parquet)"));

        String texts = file("texts.parquet");
        duck("COPY (SELECT 'x' || range AS id, 'n' AS name FROM range(3)) TO '" + texts + "' (FORMAT parquet)");
        DuetException mismatch = assertFails(SqlState.DATATYPE_MISMATCH,
                () -> session.execute("COPY t FROM '" + texts + "' (FORMAT parquet)"));
        assertTrue(mismatch.getMessage().contains("\"id\""), mismatch.getMessage());
        String three = file("three.parquet");
        duck("COPY (SELECT range AS a, 'x' AS b, 1 AS c FROM range(3)) TO '" + three + "' (FORMAT parquet)");
        assertFails(SqlState.BAD_COPY_FILE_FORMAT, () -> session.execute("COPY t FROM '" + three + "' (FORMAT parquet)"));

        // constraint violations leave nothing of the statement: 23505 (id 2 exists), 23502 (NULL id)
        String dupes = file("dupes.parquet");
        duck("COPY (SELECT (range + 10)::INTEGER AS id, 'n' AS name FROM range(100)"
                + " UNION ALL SELECT 2, 'again') TO '" + dupes + "' (FORMAT parquet)");
        assertFails(SqlState.UNIQUE_VIOLATION, () -> session.execute("COPY t FROM '" + dupes + "' (FORMAT parquet)"));
        String nullIds = file("nullids.parquet");
        duck("COPY (SELECT CASE WHEN range = 50 THEN NULL ELSE range + 200 END::INTEGER AS id, 'n' AS name"
                + " FROM range(100)) TO '" + nullIds + "' (FORMAT parquet)");
        assertFails(SqlState.NOT_NULL_VIOLATION, () -> session.execute("COPY t FROM '" + nullIds + "' (FORMAT parquet)"));
        assertEquals(2L, query(session, "SELECT count(*) FROM t").get(0).get(0));
        String bigInts = file("bigints.parquet");
        duck("COPY (SELECT 5000000000 AS id, 'n' AS name) TO '" + bigInts + "' (FORMAT parquet)");
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> session.execute("COPY t FROM '" + bigInts + "' (FORMAT parquet)"));
    }

    @Test
    void copyFollowsTheSessionTransaction() throws SQLException {
        run(session, "CREATE TABLE t (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id))");
        String f = file("rows.parquet");
        duck("COPY (SELECT range::INTEGER AS id, 'n' || range AS name FROM range(50)) TO '" + f + "' (FORMAT parquet)");
        run(session, "BEGIN");
        assertEquals(50, copy("COPY t FROM '" + f + "' (FORMAT parquet)"));
        String out = file("inside.parquet");
        assertEquals(50, copy("COPY t TO '" + out + "' (FORMAT parquet)"), "COPY TO sees the transaction's rows");
        run(session, "ROLLBACK");
        assertEquals(0L, query(session, "SELECT count(*) FROM t").get(0).get(0));

        // in an aborted transaction: 25P02 for both directions
        run(session, "BEGIN");
        assertFails(SqlState.DIVISION_BY_ZERO, () -> query(session, "SELECT 1 / 0"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> session.execute("COPY t FROM '" + f + "' (FORMAT parquet)"));
        assertFails(SqlState.IN_FAILED_SQL_TRANSACTION, () -> session.execute("COPY t TO '" + out + "' (FORMAT parquet)"));
        run(session, "ROLLBACK");

        // a failed COPY FROM aborts the explicit transaction, and takes back only its own rows
        run(session, "BEGIN");
        run(session, "INSERT INTO t VALUES (7, 'mine')");
        assertFails(SqlState.UNIQUE_VIOLATION, () -> session.execute("COPY t FROM '" + f + "' (FORMAT parquet)"));
        assertTrue(session.transactionFailed());
        run(session, "ROLLBACK");

        // read-only: COPY FROM fails with 25006, COPY TO (a read) works
        session.setReadOnly(true);
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> session.execute("COPY t FROM '" + f + "' (FORMAT parquet)"));
        assertEquals(0, copy("COPY t TO '" + out + "' (FORMAT parquet)"));
        session.setReadOnly(false);
        assertEquals(50, copy("COPY t FROM '" + f + "' (FORMAT parquet)"));
        assertEquals(50L, query(session, "SELECT count(*) FROM t").get(0).get(0));
    }

    @Test
    void jdbcExecuteUpdateReturnsTheRowCount() throws SQLException {
        String f = file("jdbc.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id))");
            st.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)");
            assertEquals(3, st.executeUpdate("COPY t TO '" + f + "' (FORMAT parquet)"));
            st.execute("CREATE TABLE u (id INTEGER NOT NULL, name TEXT, PRIMARY KEY (id))");
            assertEquals(3, st.executeUpdate("COPY u FROM '" + f + "' (FORMAT parquet)"));
            try (ResultSet rs = st.executeQuery("SELECT count(*), count(name) FROM u")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getLong(1));
                assertEquals(2, rs.getLong(2));
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("COPY (SELECT id, name FROM u WHERE id >= ?"
                    + " ORDER BY id) TO '" + file("param.parquet") + "' (FORMAT parquet)")) {
                ps.setInt(1, 2);
                assertEquals(2, ps.executeUpdate());
                ps.setInt(1, 3);
                assertEquals(1, ps.executeUpdate());
            }
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    () -> st.executeUpdate("COPY u FROM '" + file("nope.parquet") + "' (FORMAT parquet)"));
            assertEquals("58P01", e.getSQLState());
        }
        assertEquals(List.of("INTEGER", "VARCHAR"), duckTypes("SELECT * FROM read_parquet('" + f + "')"));
        assertEquals(List.of(DuckDbRows.render(new Object[] {3, null})),
                duckRows("SELECT * FROM read_parquet('" + file("param.parquet") + "')", List.of(DataType.INTEGER, DataType.TEXT)));
    }

    @Test
    void hadoopCodecPoolDoesNotLogEveryFile() {
        java.util.logging.Logger pool = java.util.logging.Logger.getLogger("org.apache.hadoop.io.compress.CodecPool");
        List<java.util.logging.LogRecord> records = new ArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(java.util.logging.Level.ALL);
        pool.addHandler(handler);
        try {
            run(session, "CREATE TABLE t (id INTEGER)");
            run(session, "INSERT INTO t VALUES (1)");
            for (String codec : List.of("zstd", "snappy")) {
                copy("COPY t TO '" + file("log-" + codec + ".parquet") + "' (FORMAT parquet, COMPRESSION " + codec + ")");
                copy("COPY t FROM '" + file("log-" + codec + ".parquet") + "' (FORMAT parquet)");
            }
        } finally {
            pool.removeHandler(handler);
        }
        assertEquals(List.of(), records.stream().map(java.util.logging.LogRecord::getMessage).toList());
    }

    @Test
    void timeoutAndMemoryLimitStopCopyAndLeaveNothing() throws Exception {
        String f = file("big.parquet");
        duck("COPY (SELECT range::INTEGER AS id, repeat('x', 200) || range AS pad FROM range(60000)) TO '" + f
                + "' (FORMAT parquet, ROW_GROUP_SIZE 60000)");
        run(session, "CREATE TABLE big (id INTEGER NOT NULL, pad TEXT, PRIMARY KEY (id))");
        // one row group of 60,000 rows of ~200 bytes does not fit in 1 MB
        run(session, "SET duet.memory_limit = '1MB'");
        assertFails(SqlState.OUT_OF_MEMORY, () -> session.execute("COPY big FROM '" + f + "' (FORMAT parquet)"));
        run(session, "RESET duet.memory_limit");
        assertEquals(0L, query(session, "SELECT count(*) FROM big").get(0).get(0));
        assertEquals(60000, copy("COPY big FROM '" + f + "' (FORMAT parquet)"));

        // 3.6 billion row pairs: no machine writes them within the timeout
        run(session, "SET statement_timeout = '200ms'");
        String out = file("pairs.parquet");
        assertFails(SqlState.QUERY_CANCELED,
                () -> session.execute("COPY (SELECT a.id, b.pad FROM big a, big b WHERE a.pad < b.pad) TO '" + out + "'"));
        run(session, "RESET statement_timeout");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of("big.parquet"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
                    "neither the file nor its temporary remains");
        }
    }
}
