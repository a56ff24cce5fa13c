package dev.duet.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.engine.Duet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speed of COPY FROM and COPY TO on 1M rows × 5 columns (BIGINT key, DOUBLE, DECIMAL(12,2), TEXT,
 * TIMESTAMP) in an in-memory database, printed, never asserted. Off by default; run with
 * {@code mvn -pl engine -am test -Dtest=CopyThroughput -Dduet.throughput=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "duet.throughput", matches = "true")
class CopyThroughput {
    private static final int ROWS = Integer.getInteger("duet.throughput.rows", 1_000_000);

    @TempDir
    Path dir;

    @Test
    void copyFromAndTo() throws Exception {
        Path source = dir.resolve("source.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("COPY (SELECT range AS id, range * 0.5 AS x, (range % 100000 / 100.0)::DECIMAL(12,2) AS price,"
                    + " 'name-' || (range % 1000) AS name, TIMESTAMP '2024-01-01' + range * INTERVAL 1 SECOND AS ts"
                    + " FROM range(" + ROWS + ")) TO '" + source + "' (FORMAT parquet)");
        }
        for (int run = 0; run < 2; run++) {
            try (Duet duet = Duet.inMemory(); Session session = duet.newSession()) {
                session.execute("CREATE TABLE t (id BIGINT NOT NULL, x DOUBLE PRECISION, price DECIMAL(12,2), name TEXT,"
                        + " ts TIMESTAMP, PRIMARY KEY (id))").close();
                long t0 = System.nanoTime();
                try (Result r = session.execute("COPY t FROM '" + source + "' (FORMAT parquet)")) {
                    assertEquals(ROWS, r.updateCount());
                }
                long t1 = System.nanoTime();
                Path out = dir.resolve("out" + run + ".parquet");
                try (Result r = session.execute("COPY t TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)")) {
                    assertEquals(ROWS, r.updateCount());
                }
                long t2 = System.nanoTime();
                System.out.printf("run %d: COPY FROM %d ms, COPY TO (zstd) %d ms, %.1f MB%n", run,
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Files.size(out) / 1e6);
            }
        }
    }
}
