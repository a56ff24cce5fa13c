package dev.duet.columnstore.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Parquet file tests share: a directory for the files, an Arrow allocator that must end
 * at zero, and an in-memory DuckDB connection, the oracle that reads (or writes) the same files.
 */
abstract class ParquetFileTest {
    @TempDir
    Path dir;
    BufferAllocator allocator;
    Connection duck;

    @BeforeEach
    void openAllocatorAndDuckDb() throws SQLException {
        allocator = new RootAllocator();
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterEach
    void closeAllocatorAndDuckDb() throws SQLException {
        duck.close();
        assertEquals(0, allocator.getAllocatedMemory(), "allocator must end at zero");
        allocator.close();
    }
}
