package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.CatalogCodec;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;

/**
 * The payload of a WAL commit record: the commit timestamp, then the transaction's catalog
 * changes, then its row changes as full after-images keyed by primary key. Replaying a record is
 * idempotent, which is what lets recovery start from a checkpoint taken while writers ran.
 *
 * <p>Layout: {@code long ts, int opCount, ops...}; each op starts with a kind byte:
 * CREATE_SCHEMA name | DROP_SCHEMA name | CREATE_TABLE tableDef | DROP_TABLE long id |
 * CREATE_VIEW boolean orReplace, viewDef | DROP_VIEW schema, name | CREATE_INDEX indexDef |
 * DROP_INDEX long id | INSERT/UPDATE long tableId, blob key, blob row | DELETE long tableId, blob key |
 * INSERT_RUN long tableId, int rowCount, int byteLength, then {@code rowCount} times (blob key, blob
 * row) filling exactly {@code byteLength} bytes. A blob is a varint length and the bytes; a row is
 * {@link dev.duet.core.types.RowCodec} bytes, a key {@link dev.duet.core.types.KeyCodec} bytes (or a
 * row id). INSERT_RUN is a bulk load's chunk ({@link Appender}): every key in it is new (no live row
 * had it when the chunk committed, and no two rows of the run share one), so a reader may append the
 * run as it comes; its byte length lets a reader hand the whole run on (see
 * {@link Visitor#insertRows}) without decoding a row or allocating per row.
 * Index entries are not logged: recovery rebuilds every index from the recovered rows.
 *
 * <p>Public for the readers of committed changes outside this package (the column-store sync reads
 * the same bytes from the WAL and from {@link CommitListener}); writing stays package-private.
 */
public final class CommitRecord {
    /** WAL record type of a commit. */
    public static final byte WAL_TYPE = 1;

    static final byte CREATE_SCHEMA = 1;
    static final byte DROP_SCHEMA = 2;
    static final byte CREATE_TABLE = 3;
    static final byte DROP_TABLE = 4;
    static final byte CREATE_VIEW = 5;
    static final byte DROP_VIEW = 6;
    static final byte CREATE_INDEX = 7;
    static final byte DROP_INDEX = 8;
    /** {@link Visitor#put} kind of a new key. */
    public static final byte INSERT = 10;
    /** {@link Visitor#put} kind of a key whose live row is replaced. */
    public static final byte UPDATE = 11;
    static final byte DELETE = 12;
    /** A run of new rows of one table (a bulk load's chunk). */
    static final byte INSERT_RUN = 13;

    private CommitRecord() {
    }

    /** Receives the decoded operations of one commit record, in log order. */
    public interface Visitor {
        void createSchema(String name);

        void dropSchema(String name);

        void createTable(TableDef table);

        void dropTable(long tableId);

        void createView(ViewDef view, boolean orReplace);

        void dropView(String schema, String name);

        void createIndex(IndexDef index);

        void dropIndex(long indexId);

        /** INSERT or UPDATE (kind tells which); {@code row} is the full new row. */
        void put(byte kind, long tableId, byte[] key, byte[] row);

        /**
         * As {@link #put(byte, long, byte[], byte[])} with the key and the row where they lie in
         * the record ({@code buf}, valid only during the call). By default they are copied out for
         * it; a reader that can take them in place (the column-store sync) overrides this.
         */
        default void put(byte kind, long tableId, byte[] buf, int keyOff, int keyLen, int rowOff, int rowLen) {
            put(kind, tableId, java.util.Arrays.copyOfRange(buf, keyOff, keyOff + keyLen),
                    java.util.Arrays.copyOfRange(buf, rowOff, rowOff + rowLen));
        }

        void delete(long tableId, byte[] key);

        /**
         * A run of new rows of table {@code tableId} (INSERT_RUN): every key is new. By default
         * each row goes to {@link #put} as an INSERT with arrays of its own; a reader that can take
         * the rows where they lie (the column-store sync) overrides this. {@code rows} is valid
         * only during the call.
         */
        default void insertRows(long tableId, InsertedRows rows) {
            while (rows.next()) {
                put(INSERT, tableId, rows.key(), rows.row());
            }
        }
    }

    /**
     * A cursor over the rows of one INSERT_RUN, read in place from the record's bytes: after each
     * {@link #next()}, {@link #buffer()} holds the key at {@link #keyOffset()} ({@link #keyLength()}
     * bytes) and the row at {@link #rowOffset()} ({@link #rowLength()} bytes). Not thread-safe.
     */
    public static final class InsertedRows {
        private final ByteSource in;
        private byte[] buf;
        private int count;
        private int read;
        private int keyOff;
        private int keyLen;
        private int rowOff;
        private int rowLen;

        private InsertedRows(byte[] buf, int off, int len, int count) {
            this.in = new ByteSource(buf, off, len, "WAL row run");
            this.buf = buf;
            this.count = count;
        }

        /** Points this cursor at another run (a {@link Reader} reuses one). */
        private InsertedRows reset(byte[] buf, int off, int len, int count) {
            in.reset(buf, off, len);
            this.buf = buf;
            this.count = count;
            this.read = 0;
            return this;
        }

        /** Number of rows in the run. */
        public int count() {
            return count;
        }

        /** Moves to the next row; false after the last. */
        public boolean next() {
            if (read == count) {
                if (in.hasRemaining()) {
                    throw DuetException.of(SqlState.DATA_CORRUPTED, "WAL row run has %d trailing bytes", in.remaining());
                }
                return false;
            }
            read++;
            keyLen = in.readVarInt();
            keyOff = in.position();
            in.skip(keyLen);
            rowLen = in.readVarInt();
            rowOff = in.position();
            in.skip(rowLen);
            return true;
        }

        public byte[] buffer() {
            return buf;
        }

        public int keyOffset() {
            return keyOff;
        }

        public int keyLength() {
            return keyLen;
        }

        public int rowOffset() {
            return rowOff;
        }

        public int rowLength() {
            return rowLen;
        }

        /** A copy of the current key. */
        public byte[] key() {
            return java.util.Arrays.copyOfRange(buf, keyOff, keyOff + keyLen);
        }

        /** A copy of the current row. */
        public byte[] row() {
            return java.util.Arrays.copyOfRange(buf, rowOff, rowOff + rowLen);
        }
    }

    static void writeDdl(ByteSink out, DdlOp op) {
        out.writeByte(op.kind());
        switch (op.kind()) {
            case CREATE_SCHEMA, DROP_SCHEMA -> out.writeString(op.schema());
            case CREATE_TABLE -> CatalogCodec.writeTable(out, op.table());
            case DROP_TABLE -> out.writeLong(op.table().id());
            case CREATE_VIEW -> {
                out.writeBoolean(op.orReplace());
                CatalogCodec.writeView(out, op.view());
            }
            case DROP_VIEW -> {
                out.writeString(op.view().schema());
                out.writeString(op.view().name());
            }
            case CREATE_INDEX -> CatalogCodec.writeIndex(out, op.index());
            case DROP_INDEX -> out.writeLong(op.index().id());
            default -> throw new IllegalStateException("not a DDL kind: " + op.kind());
        }
    }

    static void writePut(ByteSink out, byte kind, long tableId, byte[] key, byte[] row) {
        out.writeByte(kind);
        out.writeLong(tableId);
        out.writeBlob(key);
        out.writeBlob(row);
    }

    /**
     * Starts an INSERT_RUN of table {@code tableId} in {@code out}; returns the position to pass
     * to {@link #endInsertRun} once the rows (blob key, blob row each) follow it.
     */
    static int beginInsertRun(ByteSink out, long tableId) {
        out.writeByte(INSERT_RUN);
        out.writeLong(tableId);
        int at = out.size();
        out.writeInt(0);
        out.writeInt(0);
        return at;
    }

    /** Fills in the row count and byte length of the run begun at {@code at}. */
    static void endInsertRun(ByteSink out, int at, int rowCount) {
        out.setInt(at, rowCount);
        out.setInt(at + 4, out.size() - (at + 8));
    }

    static void writeDelete(ByteSink out, long tableId, byte[] key) {
        out.writeByte(DELETE);
        out.writeLong(tableId);
        out.writeBlob(key);
    }

    /** Decodes one payload; returns its commit timestamp after feeding every op to {@code v}. */
    public static long read(byte[] payload, int off, int len, Visitor v) {
        return read(new ByteSource(payload, off, len, "WAL commit record"), null, payload, v);
    }

    /**
     * Decodes payloads as {@link CommitRecord#read} does, with one byte reader and one
     * {@link InsertedRows} cursor kept from record to record: a consumer decoding every commit
     * (the column-store sync) allocates nothing per record for them. Not thread-safe.
     */
    public static final class Reader {
        private final ByteSource in = new ByteSource(new byte[0], "WAL commit record");
        private final InsertedRows rows = new InsertedRows(new byte[0], 0, 0, 0);

        /** As {@link CommitRecord#read}; the {@link InsertedRows} handed to {@code v} is this reader's, valid during the call. */
        public long read(byte[] payload, int off, int len, Visitor v) {
            return CommitRecord.read(in.reset(payload, off, len), rows, payload, v);
        }
    }

    /** Decodes the record {@code in} reads (from {@code payload}); {@code reuse}, if not null, is the cursor handed out for row runs. */
    private static long read(ByteSource in, InsertedRows reuse, byte[] payload, Visitor v) {
        long ts = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            byte kind = (byte) in.readByte();
            switch (kind) {
                case CREATE_SCHEMA -> v.createSchema(in.readString());
                case DROP_SCHEMA -> v.dropSchema(in.readString());
                case CREATE_TABLE -> v.createTable(CatalogCodec.readTable(in));
                case DROP_TABLE -> v.dropTable(in.readLong());
                case CREATE_VIEW -> {
                    boolean orReplace = in.readBoolean();
                    v.createView(CatalogCodec.readView(in), orReplace);
                }
                case DROP_VIEW -> v.dropView(in.readString(), in.readString());
                case CREATE_INDEX -> v.createIndex(CatalogCodec.readIndex(in));
                case DROP_INDEX -> v.dropIndex(in.readLong());
                case INSERT, UPDATE -> {
                    long tableId = in.readLong();
                    int keyLen = in.readVarInt();
                    int keyOff = in.position();
                    in.skip(keyLen);
                    int rowLen = in.readVarInt();
                    int rowOff = in.position();
                    in.skip(rowLen);
                    v.put(kind, tableId, payload, keyOff, keyLen, rowOff, rowLen);
                }
                case DELETE -> v.delete(in.readLong(), in.readBlob());
                case INSERT_RUN -> {
                    long tableId = in.readLong();
                    int count = in.readInt();
                    int bytes = in.readInt();
                    int at = in.position();
                    in.skip(bytes);
                    if (count < 0) {
                        throw DuetException.of(SqlState.DATA_CORRUPTED, "WAL row run of %d rows", count);
                    }
                    v.insertRows(tableId, reuse == null ? new InsertedRows(payload, at, bytes, count) : reuse.reset(payload, at, bytes, count));
                }
                default -> throw DuetException.of(SqlState.DATA_CORRUPTED,
                        "unknown operation kind %d in WAL commit record", kind);
            }
        }
        if (in.hasRemaining()) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "WAL commit record has %d trailing bytes", in.remaining());
        }
        return ts;
    }

    /** Only the timestamp of a payload. */
    public static long timestamp(byte[] payload, int off, int len) {
        return new ByteSource(payload, off, len, "WAL commit record").readLong();
    }

    /** A catalog change made by a transaction, kept in its order; the fields its kind does not use are null. */
    record DdlOp(byte kind, String schema, TableDef table, ViewDef view, IndexDef index, boolean orReplace) {
        DdlOp(byte kind, String schema, TableDef table) {
            this(kind, schema, table, null, null, false);
        }

        static DdlOp view(byte kind, ViewDef view, boolean orReplace) {
            return new DdlOp(kind, null, null, view, null, orReplace);
        }

        static DdlOp index(byte kind, IndexDef index) {
            return new DdlOp(kind, null, null, null, index, false);
        }
    }
}
