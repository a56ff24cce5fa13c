package dev.duet.engine.sql;

import dev.duet.columnstore.parquet.ParquetBatchReader;
import dev.duet.columnstore.parquet.ParquetBatchWriter;
import dev.duet.columnstore.parquet.ParquetWriteOptions;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.OutputColumn;
import dev.duet.rowstore.Transaction;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The one implementation of Parquet export and import, used by {@code COPY ... TO/FROM 'file'
 * (FORMAT parquet)} and by the embedded API ({@link Session#exportParquet},
 * {@link Session#importParquet}, and {@code Duet}'s helpers on top of them).
 *
 * <p>Export drains a query's operator into a {@link ParquetBatchWriter} batch by batch (the file
 * appears complete at the end, or not at all). Import reads the file one row group at a time into
 * the statement's allocator and inserts its rows through the transaction, matching file columns
 * to table columns by position; the caller makes the statement atomic.
 */
final class ParquetCopy {
    private ParquetCopy() {
    }

    /** A file name from SQL: relative names resolve against the process's working directory. */
    static Path resolve(String path) {
        try {
            return Path.of(path).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new DuetException(SqlState.INVALID_PARAMETER_VALUE, "invalid file name \"" + path + "\"", e);
        }
    }

    /**
     * The write options of {@code COPY ... TO 'file' (options)}: {@code FORMAT parquet} (or no
     * FORMAT and a file name ending in {@code .parquet}), {@code COMPRESSION zstd|snappy|none},
     * {@code ROW_GROUP_SIZE n}. An existing file is replaced, as PostgreSQL's COPY TO does.
     */
    static ParquetWriteOptions writeOptions(Map<String, String> options, String path) {
        checkFormat(options, path);
        ParquetWriteOptions out = ParquetWriteOptions.defaults().withOverwrite(true);
        for (Map.Entry<String, String> e : options.entrySet()) {
            switch (e.getKey()) {
                case "format" -> {
                    // checked above
                }
                case "compression", "codec" -> out = out.withCompression(ParquetWriteOptions.Compression.parse(e.getValue()));
                case "row_group_size" -> out = out.withRowGroupRows(positiveInt(e.getKey(), e.getValue()));
                default -> throw DuetException.of(SqlState.SYNTAX_ERROR,
                        "option \"%s\" is not recognized by COPY TO (FORMAT parquet); it takes COMPRESSION and ROW_GROUP_SIZE",
                        e.getKey());
            }
        }
        return out;
    }

    /** Checks the options of {@code COPY ... FROM 'file' (options)}: only the format. */
    static void checkReadOptions(Map<String, String> options, String path) {
        checkFormat(options, path);
        for (String name : options.keySet()) {
            if (!name.equals("format")) {
                throw DuetException.of(SqlState.SYNTAX_ERROR,
                        "option \"%s\" is not recognized by COPY FROM (FORMAT parquet)", name);
            }
        }
    }

    private static void checkFormat(Map<String, String> options, String path) {
        String format = options.get("format");
        if (format == null) {
            if (path.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
                return;
            }
            throw new DuetException(SqlState.FEATURE_NOT_SUPPORTED,
                    "COPY supports only FORMAT parquet; add (FORMAT parquet) to the statement");
        }
        if (!format.equalsIgnoreCase("parquet")) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "COPY format \"%s\" is not supported; only FORMAT parquet is", format);
        }
    }

    private static int positiveInt(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE, "option %s needs a positive integer, not \"%s\"",
                option, value);
    }

    /**
     * Writes every batch of {@code operator} (whose rows have {@code columns}) to {@code file}
     * and returns the number of rows. Duplicate column names get a suffix ({@code a}, {@code a_1})
     * since Parquet names must be unique. The operator is not closed here.
     */
    static long export(Operator operator, List<OutputColumn> columns, Path file, ParquetWriteOptions options,
            QueryContext context) {
        List<BatchColumn> fileColumns = new ArrayList<>(columns.size());
        Set<String> taken = new HashSet<>();
        for (OutputColumn c : columns) {
            taken.add(c.name());
        }
        Set<String> used = new HashSet<>();
        for (OutputColumn c : columns) {
            String name = c.name();
            for (int n = 1; used.contains(name) || !name.equals(c.name()) && taken.contains(name); n++) {
                name = c.name() + "_" + n;
            }
            used.add(name);
            fileColumns.add(new BatchColumn(name, c.type(), c.nullable()));
        }
        List<BatchColumn> produced = operator.columns();
        for (int i = 0; i < fileColumns.size(); i++) {
            // The file must describe the vectors as they are: where the operator's type differs in
            // Arrow terms from the planned one (a DECIMAL's precision), the operator's wins.
            BatchColumn planned = fileColumns.get(i);
            BatchColumn actual = produced.get(i);
            if (!planned.type().arrowType().equals(actual.type().arrowType())) {
                fileColumns.set(i, new BatchColumn(planned.name(), actual.type(), planned.nullable() || actual.nullable()));
            } else if (!planned.nullable() && actual.nullable()) {
                fileColumns.set(i, new BatchColumn(planned.name(), planned.type(), true));
            }
        }
        ParquetBatchWriter writer = ParquetBatchWriter.create(file, fileColumns, options);
        try {
            for (VectorSchemaRoot batch; (batch = next(operator, context)) != null; ) {
                writer.write(batch);
            }
        } catch (RuntimeException | Error e) {
            writer.abort();
            throw e;
        }
        writer.close();
        return writer.rowsWritten();
    }

    private static VectorSchemaRoot next(Operator operator, QueryContext context) {
        context.checkCancelled();
        return context.allocating(operator::next);
    }

    /**
     * Inserts the rows of {@code file} into {@code table} through {@code tx}: file column i fills
     * {@code columnNames.get(i)} (all table columns in order when the list is empty); the other
     * columns take their defaults. The file's column count must match (22P04) and each file type
     * must be assignable to its column's (42804). Returns the number of rows inserted.
     */
    static long load(Transaction tx, TableDef table, List<String> columnNames, Path file, QueryContext context) {
        int[] targets = targets(table, columnNames);
        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            List<BatchColumn> fileColumns = reader.columns();
            if (fileColumns.size() != targets.length) {
                throw DuetException.of(SqlState.BAD_COPY_FILE_FORMAT,
                        "file \"%s\" has %d columns but COPY into \"%s\" expects %d", file, fileColumns.size(),
                        table.name(), targets.length);
            }
            for (int i = 0; i < targets.length; i++) {
                ColumnDef target = table.column(targets[i]);
                DataType from = fileColumns.get(i).type();
                if (!assignable(from, target.type())) {
                    throw DuetException.of(SqlState.DATATYPE_MISMATCH,
                            "column \"%s\" is of type %s but column \"%s\" of file \"%s\" is of type %s",
                            target.name(), target.type(), fileColumns.get(i).name(), file, from);
                }
            }
            Object[] defaults = new Object[table.columnCount()];
            for (int c = 0; c < defaults.length; c++) {
                defaults[c] = table.column(c).defaultValue();
            }
            int[] all = new int[fileColumns.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            String name = table.qualifiedName();
            long n = 0;
            for (int g = 0; g < reader.rowGroupCount(); g++) {
                context.checkCancelled();
                int group = g;
                try (VectorSchemaRoot batch = context.allocating(() -> reader.readRowGroup(group, all,
                        context.allocator()))) {
                    List<FieldVector> vectors = batch.getFieldVectors();
                    int rows = batch.getRowCount();
                    for (int r = 0; r < rows; r++) {
                        if ((r & 4095) == 4095) {
                            context.checkCancelled();
                        }
                        // the row store keeps each row as its own object array: one per row is inherent here
                        Object[] row = defaults.clone();
                        for (int i = 0; i < targets.length; i++) {
                            row[targets[i]] = Batches.get(vectors.get(i), r);
                        }
                        tx.insert(name, row);
                    }
                    n += rows;
                }
            }
            return n;
        }
    }

    private static int[] targets(TableDef table, List<String> columnNames) {
        if (columnNames.isEmpty()) {
            int[] all = new int[table.columnCount()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] targets = new int[columnNames.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < targets.length; i++) {
            targets[i] = table.requireColumn(columnNames.get(i));
            if (!seen.add(targets[i])) {
                throw DuetException.of(SqlState.DUPLICATE_COLUMN, "column \"%s\" specified more than once",
                        columnNames.get(i));
            }
        }
        return targets;
    }

    /**
     * Whether values of a file column of type {@code from} may go into a column of type {@code to}
     * without a cast: the same kind (VARCHAR lengths, DECIMAL digits and ranges are then checked
     * per value, 22001 / 22003), integers into any numeric type, any number into REAL, DOUBLE or
     * DECIMAL.
     */
    static boolean assignable(DataType from, DataType to) {
        if (from.kind() == to.kind()) {
            return true;
        }
        boolean fromInteger = switch (from.kind()) {
            case SMALLINT, INTEGER, BIGINT -> true;
            case DECIMAL -> from.scale() == 0;
            default -> false;
        };
        boolean fromNumber = fromInteger || switch (from.kind()) {
            case REAL, DOUBLE, DECIMAL -> true;
            default -> false;
        };
        return switch (to.kind()) {
            case SMALLINT, INTEGER, BIGINT -> fromInteger;
            case REAL, DOUBLE, DECIMAL -> fromNumber;
            default -> false;
        };
    }
}
