package dev.duet.core.catalog;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;
import dev.duet.core.types.DataType;
import dev.duet.core.types.RowCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of table, view and index definitions and whole catalogs, as written into WAL records
 * (DDL) and checkpoint metadata. Format 2 added views and indexes; format 1 (tables only) is still
 * read. Default values are stored with the {@link RowCodec} encoding of a
 * one-column row, so every type the row format supports round-trips.
 */
public final class CatalogCodec {
    private static final int FORMAT = 2;

    private CatalogCodec() {
    }

    public static void writeType(ByteSink out, DataType t) {
        out.writeByte(t.kind().ordinal());
        out.writeVarInt(t.precision());
        out.writeVarInt(t.scale());
        out.writeInt(t.length());
    }

    public static DataType readType(ByteSource in) {
        int k = in.readByte();
        DataType.Kind[] kinds = DataType.Kind.values();
        if (k < 0 || k >= kinds.length) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "unknown type kind %d in catalog data", k);
        }
        int precision = in.readVarInt();
        int scale = in.readVarInt();
        int length = in.readInt();
        return switch (kinds[k]) {
            case BOOLEAN -> DataType.BOOLEAN;
            case SMALLINT -> DataType.SMALLINT;
            case INTEGER -> DataType.INTEGER;
            case BIGINT -> DataType.BIGINT;
            case REAL -> DataType.REAL;
            case DOUBLE -> DataType.DOUBLE;
            case DECIMAL -> DataType.decimal(precision, scale);
            case VARCHAR -> length == DataType.UNBOUNDED ? DataType.TEXT : DataType.varchar(length);
            case DATE -> DataType.DATE;
            case TIMESTAMP -> DataType.TIMESTAMP;
            case BYTEA -> DataType.BYTEA;
        };
    }

    public static void writeTable(ByteSink out, TableDef t) {
        out.writeLong(t.id());
        out.writeString(t.schema());
        out.writeString(t.name());
        out.writeVarInt(t.columnCount());
        for (ColumnDef c : t.columns()) {
            out.writeString(c.name());
            writeType(out, c.type());
            out.writeBoolean(c.notNull());
            if (c.defaultValue() == null) {
                out.writeBoolean(false);
            } else {
                out.writeBoolean(true);
                out.writeBlob(new RowCodec(new DataType[] {c.type()}).encode(new Object[] {c.defaultValue()}));
            }
        }
        int[] pk = t.primaryKey();
        out.writeVarInt(pk.length);
        for (int k : pk) {
            out.writeVarInt(k);
        }
    }

    public static TableDef readTable(ByteSource in) {
        long id = in.readLong();
        String schema = in.readString();
        String name = in.readString();
        int n = in.readVarInt();
        List<ColumnDef> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cname = in.readString();
            DataType type = readType(in);
            boolean notNull = in.readBoolean();
            Object def = null;
            if (in.readBoolean()) {
                def = new RowCodec(new DataType[] {type}).decode(in.readBlob())[0];
            }
            cols.add(new ColumnDef(cname, type, notNull, def));
        }
        int[] pk = new int[in.readVarInt()];
        for (int i = 0; i < pk.length; i++) {
            pk[i] = in.readVarInt();
        }
        return new TableDef(id, schema, name, cols, pk);
    }

    public static void writeView(ByteSink out, ViewDef v) {
        out.writeString(v.schema());
        out.writeString(v.name());
        out.writeString(v.query());
        out.writeVarInt(v.columns().size());
        for (ColumnDef c : v.columns()) {
            out.writeString(c.name());
            writeType(out, c.type());
            out.writeBoolean(c.notNull());
        }
        writeStrings(out, v.dependsOn());
    }

    public static ViewDef readView(ByteSource in) {
        String schema = in.readString();
        String name = in.readString();
        String query = in.readString();
        int n = in.readVarInt();
        List<ColumnDef> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cname = in.readString();
            DataType type = readType(in);
            columns.add(new ColumnDef(cname, type, in.readBoolean(), null));
        }
        return new ViewDef(schema, name, query, columns, readStrings(in));
    }

    public static void writeIndex(ByteSink out, IndexDef i) {
        out.writeLong(i.id());
        out.writeString(i.schema());
        out.writeString(i.name());
        out.writeLong(i.tableId());
        out.writeVarInt(i.columnCount());
        for (int c : i.columns()) {
            out.writeVarInt(c);
        }
        out.writeBoolean(i.unique());
    }

    public static IndexDef readIndex(ByteSource in) {
        long id = in.readLong();
        String schema = in.readString();
        String name = in.readString();
        long tableId = in.readLong();
        int[] cols = new int[in.readVarInt()];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = in.readVarInt();
        }
        return new IndexDef(id, schema, name, tableId, cols, in.readBoolean());
    }

    private static void writeStrings(ByteSink out, List<String> strings) {
        out.writeVarInt(strings.size());
        for (String s : strings) {
            out.writeString(s);
        }
    }

    private static List<String> readStrings(ByteSource in) {
        int n = in.readVarInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }

    public static void writeCatalog(ByteSink out, Catalog c) {
        out.writeVarInt(FORMAT);
        out.writeLong(c.nextTableId());
        out.writeVarInt(c.schemaNames().size());
        for (String s : c.schemaNames()) {
            out.writeString(s);
        }
        out.writeVarInt(c.tables().size());
        for (TableDef t : c.tables()) {
            writeTable(out, t);
        }
        out.writeVarInt(c.views().size());
        for (ViewDef v : c.views()) {
            writeView(out, v);
        }
        out.writeVarInt(c.indexes().size());
        for (IndexDef i : c.indexes()) {
            writeIndex(out, i);
        }
    }

    public static Catalog readCatalog(ByteSource in) {
        int format = in.readVarInt();
        if (format != 1 && format != FORMAT) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "unsupported catalog format %d", format);
        }
        long next = in.readLong();
        int ns = in.readVarInt();
        List<String> schemas = new ArrayList<>(ns);
        for (int i = 0; i < ns; i++) {
            schemas.add(in.readString());
        }
        int nt = in.readVarInt();
        List<TableDef> tables = new ArrayList<>(nt);
        for (int i = 0; i < nt; i++) {
            tables.add(readTable(in));
        }
        List<ViewDef> views = new ArrayList<>();
        List<IndexDef> indexes = new ArrayList<>();
        if (format >= 2) {
            int nv = in.readVarInt();
            for (int i = 0; i < nv; i++) {
                views.add(readView(in));
            }
            int ni = in.readVarInt();
            for (int i = 0; i < ni; i++) {
                indexes.add(readIndex(in));
            }
        }
        return Catalog.of(schemas, tables, views, indexes, next);
    }
}
