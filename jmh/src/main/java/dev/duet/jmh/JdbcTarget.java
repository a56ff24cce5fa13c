package dev.duet.jmh;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * A database that the JDBC benchmarks run against, file-backed in a directory of its own, and the
 * one table they all use: {@code items(id BIGINT PRIMARY KEY, name VARCHAR(40), qty INT, price
 * DECIMAL(12,2))}, row {@code k} being {@link #bind}'s values. Every engine runs with its default
 * settings except Duet's durability: H2 2.x does not force the disk at each commit (its store
 * writes in the background), DuckDB does (its WAL is synced at every commit).
 */
enum JdbcTarget {
    DUET_ASYNC("duet-async"),
    DUET_FSYNC("duet-fsync"),
    H2("h2"),
    DUCKDB("duckdb");

    static final String TABLE = "items";
    static final String CREATE_TABLE =
            "CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(40), qty INT, price DECIMAL(12,2))";
    static final String INSERT = "INSERT INTO items (id, name, qty, price) VALUES (?, ?, ?, ?)";
    static final String SELECT_BY_ID = "SELECT id, name, qty, price FROM items WHERE id = ?";
    static final String UPDATE_BY_ID = "UPDATE items SET qty = ? WHERE id = ?";

    /** The {@code @Param} value naming this target. */
    final String label;

    JdbcTarget(String label) {
        this.label = label;
    }

    static JdbcTarget of(String label) {
        return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown JDBC target " + label));
    }

    /** The JDBC URL of a database in {@code dir} (an existing, empty directory). */
    String url(Path dir) {
        String path = dir.toAbsolutePath().toString();
        return switch (this) {
            case DUET_ASYNC -> "jdbc:duet:" + path + "/db?durability=async";
            case DUET_FSYNC -> "jdbc:duet:" + path + "/db?durability=fsync";
            case H2 -> "jdbc:h2:file:" + path + "/db";
            case DUCKDB -> "jdbc:duckdb:" + path + "/db.duckdb";
        };
    }

    Connection connect(Path dir) throws SQLException {
        return DriverManager.getConnection(url(dir));
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(CREATE_TABLE);
        }
    }

    /** Binds row {@code k}'s values to {@link #INSERT}. */
    static void bind(PreparedStatement insert, long k) throws SQLException {
        insert.setLong(1, k);
        insert.setString(2, "item-" + k);
        insert.setInt(3, (int) (k % 1000));
        insert.setBigDecimal(4, BigDecimal.valueOf(k % 100_000, 2));
    }

    /**
     * Inserts rows {@code [0, rows)} (not measured): in transactions of 10,000 rows (batches of
     * 1,000) through {@link #INSERT}, except DuckDB, whose prepared inserts run at a few thousand
     * rows/s even inside a transaction: there one {@code INSERT ... SELECT} over {@code range}
     * makes the same rows. Checks the row count and leaves the connection in autocommit mode.
     */
    void load(Connection c, long rows) throws SQLException {
        if (this == DUCKDB) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO items SELECT i, 'item-' || i, CAST(i % 1000 AS INTEGER), "
                        + "CAST(CAST(i % 100000 AS DECIMAL(12,0)) * 0.01 AS DECIMAL(12,2)) FROM range(" + rows + ") t(i)");
            }
        } else {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (long k = 0; k < rows; k++) {
                    bind(insert, k);
                    insert.addBatch();
                    if ((k + 1) % 1000 == 0 || k == rows - 1) {
                        insert.executeBatch();
                    }
                    if ((k + 1) % 10_000 == 0 || k == rows - 1) {
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
            long count = rs.next() ? rs.getLong(1) : -1;
            if (count != rows) {
                throw new IllegalStateException(label + ": loaded " + count + " rows, expected " + rows);
            }
        }
    }
}
