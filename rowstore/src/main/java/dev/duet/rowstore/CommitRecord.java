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
 * DROP_INDEX long id | INSERT/UPDATE long tableId, blob key, blob row | DELETE long tableId, blob key.
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

        void delete(long tableId, byte[] key);
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

    static void writeDelete(ByteSink out, long tableId, byte[] key) {
        out.writeByte(DELETE);
        out.writeLong(tableId);
        out.writeBlob(key);
    }

    /** Decodes one payload; returns its commit timestamp after feeding every op to {@code v}. */
    public static long read(byte[] payload, int off, int len, Visitor v) {
        ByteSource in = new ByteSource(payload, off, len, "WAL commit record");
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
                case INSERT, UPDATE -> v.put(kind, in.readLong(), in.readBlob(), in.readBlob());
                case DELETE -> v.delete(in.readLong(), in.readBlob());
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
