package dev.duet.rowstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.CatalogCodec;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapAbsentEntry;

/**
 * Writes and reads checkpoints: the committed rows at one snapshot in persisted Chronicle Maps
 * ({@code checkpoint-<generation>.cmap}, key = 8-byte table id + encoded primary key, value =
 * encoded row), and a small metadata file ({@code checkpoint.meta}) naming the map files, the
 * snapshot timestamp, the WAL position to replay from, the catalog and the next hidden row id of
 * each table without a primary key (so ids of deleted rows are never handed out again).
 *
 * <p>A checkpoint is one <em>full</em> map (every row at its snapshot; none until a database's
 * first full checkpoint, generation 0 in the metadata) followed by up to
 * {@link #MAX_DELTAS} <em>deltas</em> ({@code checkpoint-<generation>.delta}, {@link DeltaFile}),
 * each holding only the rows changed since the checkpoint before it and the keys deleted since
 * then. Loading reads the files in order and a later entry of a key replaces an earlier one. Each
 * checkpoint writes a new generation (a full map or one more delta) and switches to it by
 * atomically replacing the metadata file only after the file is complete and fsync'ed; a crash at
 * any moment leaves the previous metadata, every file it names and its WAL in force (files it does
 * not name are leftovers, deleted on open). Nothing is written to a file after its checkpoint
 * completes; but Chronicle Map keeps its segment locks inside the file, and reading a map takes
 * them, so a process killed while loading can leave a lock set on disk: after an unclean shutdown
 * the full map is therefore opened with Chronicle's recovery, which clears such locks.
 */
final class Checkpointer {
    static final String META = "checkpoint.meta";
    /** Metadata of a checkpoint that is a single full map (written before deltas existed). */
    private static final long MAGIC_V1 = 0x31504B4354455544L; // "DUETCKP1" little-endian
    private static final long MAGIC = 0x32504B4354455544L; // "DUETCKP2" little-endian
    /** The generation in place of the full map before a database's first full checkpoint. */
    static final long NO_MAP = 0;
    /** Deltas after a full map at most; the checkpoint after that is a full one again. */
    static final int MAX_DELTAS = 8;
    private static final System.Logger LOG = System.getLogger(Checkpointer.class.getName());

    private final Path dir;

    Checkpointer(Path dir) {
        this.dir = dir;
    }

    /**
     * What a completed checkpoint holds: the generations of its files in load order (a full map,
     * then deltas), and the bytes of entries ({@link #entryBytes}) its files hold in all
     * and the part of them that later entries of the same keys replace (an estimate: what a full
     * rewrite would drop; -1 when unknown, for metadata of the first format).
     */
    record Meta(long lsn, long ts, Catalog catalog, Map<Long, Long> nextRowIds, long[] files, long bytes,
            long replacedBytes) {
        /** The newest generation. */
        long generation() {
            return files[files.length - 1];
        }
    }

    /** Receives the rows of a checkpoint: {@code row} null for a key deleted (deltas only). */
    interface RowSink {
        void row(long tableId, byte[] key, byte[] row);
    }

    /** Supplies the rows to write; called twice (once to size the map, once to fill it). */
    interface RowSource {
        void forEach(RowSink sink);
    }

    Path mapFile(long generation) {
        return dir.resolve(String.format("checkpoint-%020d.cmap", generation));
    }

    Path deltaFile(long generation) {
        return dir.resolve(String.format("checkpoint-%020d.delta", generation));
    }

    /** The current checkpoint's metadata, or null if the database has never checkpointed. */
    Meta readMeta() {
        Path file = dir.resolve(META);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length < 12) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint metadata %s is truncated", file);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint metadata %s fails its checksum", file);
        }
        ByteSource in = new ByteSource(bytes, 0, bytes.length - 4, file.toString());
        long magic = in.readLong();
        if (magic != MAGIC && magic != MAGIC_V1) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "%s is not a Duet checkpoint file", file);
        }
        long generation = in.readLong();
        long lsn = in.readLong();
        long ts = in.readLong();
        Catalog catalog = CatalogCodec.readCatalog(in);
        int n = in.readVarInt();
        Map<Long, Long> rowIds = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            rowIds.put(in.readLong(), in.readLong());
        }
        if (magic == MAGIC_V1) {
            return new Meta(lsn, ts, catalog, rowIds, new long[] {generation}, -1, -1);
        }
        int count = in.readVarInt();
        if (count < 1 || count > MAX_DELTAS + 1) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint metadata %s names %d map files", file, count);
        }
        long[] files = new long[count];
        for (int i = 0; i < count; i++) {
            files[i] = in.readLong();
        }
        if (files[count - 1] != generation) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint metadata %s is inconsistent", file);
        }
        return new Meta(lsn, ts, catalog, rowIds, files, in.readLong(), in.readLong());
    }

    /**
     * Streams every entry of the checkpoint's files to {@code sink}, file by file in load order:
     * the full map's rows, then each delta's changed rows and deleted keys (row null); a later
     * entry of a key replaces an earlier one. {@code recover}: the previous process died holding
     * the database, so the map may hold locks of a dead process.
     */
    void load(Meta meta, boolean recover, RowSink sink) {
        long[] files = meta.files();
        if (files[0] != NO_MAP) {
            loadMap(files[0], recover, sink);
        }
        for (int i = 1; i < files.length; i++) {
            Path file = deltaFile(files[i]);
            if (!Files.exists(file)) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint file %s named by %s is missing", file, META);
            }
            try {
                DeltaFile.read(file, sink);
            } catch (IOException e) {
                throw new DuetException(SqlState.IO_ERROR, "cannot read checkpoint " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private void loadMap(long generation, boolean recover, RowSink sink) {
        Path file = mapFile(generation);
        if (!Files.exists(file)) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint file %s named by %s is missing", file, META);
        }
        ChronicleMapBuilder<byte[], byte[]> builder = ChronicleMapBuilder.of(byte[].class, byte[].class)
                .name("duet-checkpoint");
        try (ChronicleMap<byte[], byte[]> map = recover
                ? builder.recoverPersistedTo(file.toFile(), true)
                : builder.createPersistedTo(file.toFile())) {
            // Read each entry's bytes in place: one array for the key and one for the row, where
            // iterating the map's entry set would make a copy of each and then another of the key.
            map.forEachEntry(e -> {
                Data<byte[]> k = e.key();
                Data<byte[]> v = e.value();
                if (k.size() < 8 || k.size() - 8 > Integer.MAX_VALUE || v.size() > Integer.MAX_VALUE) {
                    throw DuetException.of(SqlState.DATA_CORRUPTED, "checkpoint %s holds a malformed entry", file);
                }
                long tableId = bigEndian(k.bytes().readLong(k.offset()));
                byte[] key = new byte[(int) (k.size() - 8)];
                k.bytes().read(k.offset() + 8, key, 0, key.length);
                byte[] row = new byte[(int) v.size()];
                v.bytes().read(v.offset(), row, 0, row.length);
                sink.row(tableId, key, row);
            });
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of a checkpoint entry: the table id, the key and the row (none for a deleted key). */
    static long entryBytes(byte[] key, byte[] row) {
        return 8L + key.length + (row == null ? 0 : row.length);
    }

    /**
     * Writes the delta of generation {@code generation} holding {@code rows} (row null: a deleted
     * key) and forces it to disk; {@link #commit} then makes it part of the current checkpoint.
     * Returns the bytes of its entries ({@link #entryBytes}). A failed write deletes the file.
     */
    long writeDelta(long generation, RowSource rows) {
        Path file = deltaFile(generation);
        try {
            return DeltaFile.write(file, rows);
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot write checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the full map of generation {@code generation} holding {@code rows} and forces it to
     * disk; {@link #commit} then makes it the current checkpoint. Returns the bytes of its entries
     * ({@link #entryBytes}). A failed write deletes the file.
     */
    long writeMap(long generation, RowSource rows) {
        long[] stats = new long[4]; // count, key bytes, value bytes, largest entry
        rows.forEach((tableId, key, row) -> {
            stats[0]++;
            stats[1] += 8 + key.length;
            stats[2] += row.length;
            stats[3] = Math.max(stats[3], entryBytes(key, row));
        });
        long count = stats[0];
        double avgKey = count == 0 ? 16 : Math.max(9.0, (double) stats[1] / count);
        double avgValue = count == 0 ? 64 : Math.max(1.0, (double) stats[2] / count);
        Path file = mapFile(generation);
        try {
            Files.deleteIfExists(file);
            ChronicleMapBuilder<byte[], byte[]> builder = ChronicleMapBuilder.of(byte[].class, byte[].class)
                    .name("duet-checkpoint")
                    .entries(Math.max(1_000, count + count / 4))
                    .averageKeySize(avgKey)
                    .averageValueSize(avgValue)
                    .maxBloatFactor(4.0);
            // An entry must fit in one segment, and segments are sized from the average entry: a
            // few rows far above the average (a large TEXT or BYTEA) need fewer, larger segments.
            long total = stats[1] + stats[2];
            if (count > 0 && stats[3] > 16 * (total / count)) {
                builder.actualSegments((int) Math.max(1, Math.min(1024, total / (4 * stats[3]))));
            }
            try (ChronicleMap<byte[], byte[]> map = builder.createPersistedTo(file.toFile());
                    EntryBuffer buffer = new EntryBuffer()) {
                rows.forEach((tableId, key, row) -> buffer.put(map, tableId, key, row));
            }
            force(file);
        } catch (IOException e) {
            deleteQuietly(file);
            throw new DuetException(SqlState.IO_ERROR, "cannot write checkpoint " + file + ": " + e.getMessage(), e);
        } catch (DuetException e) {
            deleteQuietly(file);
            throw e;
        } catch (RuntimeException e) {
            // Chronicle Map reports full maps and file problems as unchecked exceptions of its own.
            deleteQuietly(file);
            throw new DuetException(SqlState.IO_ERROR, "cannot write checkpoint " + file + ": " + e, e);
        }
        return stats[1] + stats[2];
    }

    /**
     * Makes {@code meta} the current checkpoint (its files written by {@link #writeMap}) by
     * atomically replacing the metadata file, then deletes map files it does not name. If this
     * fails, either checkpoint may be in force on disk (the replacement may have happened before
     * the failure), so no file either names is deleted, and the caller must not reuse the newest
     * generation's number.
     */
    void commit(Meta meta) {
        try {
            writeMeta(meta);
        } catch (IOException e) {
            throw new DuetException(SqlState.IO_ERROR, "cannot write checkpoint metadata in " + dir + ": " + e.getMessage(), e);
        }
        removeStale(meta);
    }

    /**
     * Puts entries through one native buffer instead of {@code map.put(byte[], byte[])}, which
     * wraps each array in a reference-counted Chronicle {@code BytesStore} (an allocation and a
     * shared counter's increment per key and per value: half of a checkpoint's CPU time when
     * profiled under batched inserts). The key (table id, then the encoded key) and the row are
     * copied side by side into the buffer, and the map reads both from there. Used by the one
     * thread writing a checkpoint.
     */
    private static final class EntryBuffer implements AutoCloseable {
        private BytesStore<?, Void> store = BytesStore.nativeStoreWithFixedCapacity(4096);

        void put(ChronicleMap<byte[], byte[]> map, long tableId, byte[] key, byte[] row) {
            int keySize = 8 + key.length;
            long size = (long) keySize + row.length;
            if (size > store.capacity()) {
                store.releaseLast();
                store = BytesStore.nativeStoreWithFixedCapacity(Math.max(size, 2 * store.capacity()));
            }
            store.writeLong(0, bigEndian(tableId));
            store.write(8, key, 0, key.length);
            store.write(keySize, row, 0, row.length);
            try (ExternalMapQueryContext<byte[], byte[], ?> c = map.queryContext(store, 0, keySize)) {
                c.updateLock().lock();
                Data<byte[]> value = c.wrapValueBytesAsData(store, keySize, row.length);
                MapAbsentEntry<byte[], byte[]> absent = c.absentEntry();
                if (absent != null) {
                    absent.doInsert(value);
                } else {
                    c.entry().doReplaceValue(value);
                }
            }
        }

        @Override
        public void close() {
            store.releaseLast();
        }
    }

    /**
     * {@code v} with its bytes in big-endian order when stored or read by Chronicle's native-order
     * {@code writeLong}/{@code readLong} (the table id leads each key big-endian).
     */
    private static long bigEndian(long v) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    private void writeMeta(Meta meta) throws IOException {
        ByteSink out = new ByteSink();
        out.writeLong(MAGIC);
        out.writeLong(meta.generation());
        out.writeLong(meta.lsn());
        out.writeLong(meta.ts());
        CatalogCodec.writeCatalog(out, meta.catalog());
        out.writeVarInt(meta.nextRowIds().size());
        for (Map.Entry<Long, Long> e : meta.nextRowIds().entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue());
        }
        out.writeVarInt(meta.files().length);
        for (long generation : meta.files()) {
            out.writeLong(generation);
        }
        out.writeLong(meta.bytes());
        out.writeLong(meta.replacedBytes());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.size());
        out.writeInt((int) crc.getValue());
        Path tmp = dir.resolve(META + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(out.array(), 0, out.size());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + dir + " cannot replace files atomically", e);
        }
        forceDirectory(dir);
    }

    /** Deletes checkpoint files {@code meta} does not name and leftovers of interrupted checkpoints. */
    void removeStale(Meta meta) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        long[] generations = meta.files();
        keep.add(mapFile(generations[0]).getFileName().toString());
        for (int i = 1; i < generations.length; i++) {
            keep.add(deltaFile(generations[i]).getFileName().toString());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "checkpoint-*.{cmap,delta}")) {
            for (Path f : files) {
                if (!keep.contains(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir.resolve(META + ".tmp"));
        } catch (IOException e) {
            // Stale files only cost space; the next checkpoint retries. Say so rather than hide it.
            LOG.log(System.Logger.Level.WARNING, "could not remove old checkpoint files in " + dir + ": " + e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete incomplete checkpoint " + file + ": " + e);
        }
    }

    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
