package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.io.ByteSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CommitRecord.Reader}, which keeps its byte reader and its row-run cursor from record to
 * record, decodes every record exactly as {@link CommitRecord#read} does: records of different
 * lengths and kinds in turn (a long row run, then a shorter one, then single puts and deletes),
 * records at an offset inside a larger buffer, and corrupt records (which fail the same way and
 * leave the reader usable).
 */
class CommitRecordReaderTest {
    /** Renders every visit, row-run rows included, as text. */
    static final class Trace implements CommitRecord.Visitor {
        final List<String> seen = new ArrayList<>();

        @Override
        public void createSchema(String name) {
            seen.add("createSchema " + name);
        }

        @Override
        public void dropSchema(String name) {
            seen.add("dropSchema " + name);
        }

        @Override
        public void createTable(TableDef table) {
            seen.add("createTable " + table.id());
        }

        @Override
        public void dropTable(long tableId) {
            seen.add("dropTable " + tableId);
        }

        @Override
        public void createView(ViewDef view, boolean orReplace) {
            seen.add("createView");
        }

        @Override
        public void dropView(String schema, String name) {
            seen.add("dropView " + schema + "." + name);
        }

        @Override
        public void createIndex(IndexDef index) {
            seen.add("createIndex");
        }

        @Override
        public void dropIndex(long indexId) {
            seen.add("dropIndex " + indexId);
        }

        @Override
        public void put(byte kind, long tableId, byte[] key, byte[] row) {
            seen.add("put " + kind + " " + tableId + " " + Arrays.toString(key) + " " + Arrays.toString(row));
        }

        @Override
        public void delete(long tableId, byte[] key) {
            seen.add("delete " + tableId + " " + Arrays.toString(key));
        }

        @Override
        public void insertRows(long tableId, CommitRecord.InsertedRows rows) {
            seen.add("run " + tableId + " of " + rows.count());
            byte[] buf = rows.buffer();
            while (rows.next()) {
                seen.add("  row " + Arrays.toString(Arrays.copyOfRange(buf, rows.keyOffset(), rows.keyOffset() + rows.keyLength()))
                        + " " + Arrays.toString(Arrays.copyOfRange(buf, rows.rowOffset(), rows.rowOffset() + rows.rowLength())));
            }
        }
    }

    private static byte[] bytes(SplittableRandom random, int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** A record at {@code ts} of {@code runs} row runs of the given sizes, then a few single puts and deletes. */
    private static byte[] record(SplittableRandom random, long ts, int[] runs, int singles) {
        ByteSink out = new ByteSink();
        out.writeLong(ts);
        out.writeInt(runs.length + 2 * singles + 1);
        for (int rows : runs) {
            int at = CommitRecord.beginInsertRun(out, 7 + rows);
            for (int r = 0; r < rows; r++) {
                out.writeBlob(bytes(random, 12));
                out.writeBlob(bytes(random, 40));
            }
            CommitRecord.endInsertRun(out, at, rows);
        }
        for (int i = 0; i < singles; i++) {
            CommitRecord.writePut(out, i % 2 == 0 ? CommitRecord.INSERT : CommitRecord.UPDATE, 3, bytes(random, 9), bytes(random, 30));
            CommitRecord.writeDelete(out, 4, bytes(random, 9));
        }
        CommitRecord.writeDdl(out, new CommitRecord.DdlOp(CommitRecord.DROP_SCHEMA, "s" + ts, null));
        return out.toByteArray();
    }

    @Test
    void aReusedReaderDecodesEveryRecordAsAFreshOne() {
        SplittableRandom random = new SplittableRandom(5);
        CommitRecord.Reader reader = new CommitRecord.Reader();
        int[][] runs = {{50}, {3}, {}, {1, 0, 20}, {0}, {7, 7}};
        for (int i = 0; i < 40; i++) {
            byte[] record = record(random, 100 + i, runs[i % runs.length], i % 3);
            // at an offset inside a larger buffer, as the sync's reused slabs hold them
            int off = random.nextInt(5);
            byte[] slab = new byte[off + record.length + random.nextInt(9)];
            System.arraycopy(record, 0, slab, off, record.length);
            Trace fresh = new Trace();
            Trace reused = new Trace();
            assertEquals(100 + i, CommitRecord.read(slab, off, record.length, fresh));
            assertEquals(100 + i, reader.read(slab, off, record.length, reused));
            assertEquals(fresh.seen, reused.seen, "record " + i);
        }
    }

    @Test
    void aCorruptRecordFailsAndTheReaderStaysUsable() {
        SplittableRandom random = new SplittableRandom(9);
        CommitRecord.Reader reader = new CommitRecord.Reader();
        byte[] record = record(random, 1, new int[] {5}, 1);
        byte[] cut = Arrays.copyOf(record, record.length - 3);
        DuetException fresh = assertThrows(DuetException.class, () -> CommitRecord.read(cut, 0, cut.length, new Trace()));
        DuetException reused = assertThrows(DuetException.class, () -> reader.read(cut, 0, cut.length, new Trace()));
        assertEquals("XX001", fresh.state().code());
        assertEquals(fresh.getMessage(), reused.getMessage());
        Trace expected = new Trace();
        Trace actual = new Trace();
        CommitRecord.read(record, 0, record.length, expected);
        reader.read(record, 0, record.length, actual);
        assertEquals(expected.seen, actual.seen);
    }
}
