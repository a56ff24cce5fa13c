package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.duet.core.exec.HeapReservation;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hash join ({@link HashJoinSpec}): buffers the right input, builds a {@link JoinHashTable} on
 * its keys, then streams the left input through it. Output: the left columns then the right
 * columns (SEMI and ANTI: the left columns only), NULLs for the missing side of an outer join's
 * unmatched rows. A NULL in any key column matches nothing, as SQL's {@code =} does.
 *
 * <p>Keys are hashed a batch at a time from the vectors' buffers. Keys that fit 64 bits together
 * are packed into one long and compared as longs; wider keys (DECIMAL(38), strings, several
 * BIGINTs) are compared by hash first and then column by column on the buffers. Nothing is
 * allocated per row. The table and every buffer are accounted to the query's memory limit
 * (53200 when exceeded).
 *
 * <p>For SEMI and ANTI joins only the keys and the columns the residual reads are kept from the
 * right input, and a probe row stops looking once it has a match.
 */
public final class HashJoinOperator extends AbstractJoinOperator {
    private final HashJoinSpec spec;
    private final int[] leftKeys;
    private final int[] rightKeys;
    private final KeyColumns keys;
    /** SEMI/ANTI on packed keys with no residual: the first equal key decides the row. */
    private final boolean firstMatchOnly;

    private JoinHashTable table;
    private FieldVector[] buildKeyVectors;
    private FieldVector[] probeKeyVectors;
    private long[] probeKeys;
    private boolean[] probeNulls;
    /** Per probe row: the next entry of its bucket to look at, and the bucket's end. */
    private int[] cursor;
    private int[] cursorEnd;
    private boolean[] equal;
    /** Probe rows before this one have no candidates left. */
    private int scanRow;

    public HashJoinOperator(QueryContext ctx, HashJoinSpec spec, Operator left, Operator right) {
        super(ctx, Objects.requireNonNull(spec, "spec is null").type(), left, right, spec.residual(),
                rightKeyColumns(spec, left.columns(), right.columns()), spec.buildRowsEstimate());
        this.spec = spec;
        this.leftKeys = spec.keys().stream().mapToInt(JoinKey::left).toArray();
        this.rightKeys = spec.keys().stream().mapToInt(JoinKey::right).toArray();
        this.keys = keyColumns(spec, left.columns(), right.columns());
        this.firstMatchOnly = decidedByFirstMatch() && spec.residual() == null && keys.packed();
    }

    /**
     * A copy of a join that probes {@code shared}, the build side another instance of the same
     * join made ({@link #buildShared}), with {@code left} as its probe input: the copies of a
     * parallel query's pipeline each probe one table. INNER, LEFT, SEMI and ANTI joins only.
     */
    public HashJoinOperator(QueryContext ctx, HashJoinSpec spec, Operator left, SharedHashBuild shared) {
        super(ctx, Objects.requireNonNull(spec, "spec is null").type(), left, shared, spec.residual(),
                rightKeyColumns(spec, left.columns(), shared.columns));
        this.spec = spec;
        this.leftKeys = spec.keys().stream().mapToInt(JoinKey::left).toArray();
        this.rightKeys = spec.keys().stream().mapToInt(JoinKey::right).toArray();
        this.keys = keyColumns(spec, left.columns(), shared.columns);
        this.firstMatchOnly = decidedByFirstMatch() && spec.residual() == null && keys.packed();
    }

    /**
     * Reads {@code right} (which it closes) and makes the build side of the join {@code spec}
     * describes once, for copies that probe it at the same time ({@link SharedHashBuild}); the
     * probe side's columns are {@code leftColumns}. The caller closes the result after the copies.
     */
    public static SharedHashBuild buildShared(QueryContext ctx, HashJoinSpec spec, List<BatchColumn> leftColumns,
            Operator right) {
        HashJoinOperator builder = new HashJoinOperator(ctx, spec, new NoRows(leftColumns), right);
        try {
            return builder.detachBuild();
        } finally {
            builder.close();
        }
    }

    /** Builds, then hands the rows and table over to a {@link SharedHashBuild} (this join no longer frees them). */
    private SharedHashBuild detachBuild() {
        readBuild();
        int rows = build.size();
        HeapReservation reserved = new HeapReservation(ctx, "SharedHashBuild");
        try {
            reserved.add((long) rows * (Long.BYTES + 1) + JoinHashTable.bytesFor(rows));
        } catch (RuntimeException e) {
            reserved.close();
            throw e;
        }
        buildComplete();
        SharedHashBuild s = new SharedHashBuild(build, table, rightColumns(), reserved);
        build = null;
        return s;
    }

    /** The left input of {@link #buildShared}'s builder, which never probes. */
    private record NoRows(List<BatchColumn> columns) implements Operator {
        @Override
        public VectorSchemaRoot next() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static KeyColumns keyColumns(HashJoinSpec spec, List<BatchColumn> left, List<BatchColumn> right) {
        int n = spec.keys().size();
        List<DataType> leftTypes = new ArrayList<>(n);
        List<DataType> rightTypes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JoinKey k = spec.keys().get(i);
            leftTypes.add(left.get(k.left()).type());
            rightTypes.add(right.get(k.right()).type());
        }
        return KeyColumns.forJoin(leftTypes, rightTypes);
    }

    /** The right columns that are keys; checks every key column exists on its side. */
    private static boolean[] rightKeyColumns(HashJoinSpec spec, List<BatchColumn> l, List<BatchColumn> r) {
        boolean[] mask = new boolean[r.size()];
        for (JoinKey k : spec.keys()) {
            if (k.left() >= l.size() || k.right() >= r.size()) {
                throw new IllegalArgumentException("join key " + k + " is out of range: the left input has "
                        + l.size() + " columns, the right " + r.size());
            }
            mask[k.right()] = true;
        }
        return mask;
    }

    /** The spec this join runs. */
    public HashJoinSpec spec() {
        return spec;
    }

    @Override
    void buildComplete() {
        buildKeyVectors = new FieldVector[rightKeys.length];
        probeKeyVectors = new FieldVector[leftKeys.length];
        for (int i = 0; i < rightKeys.length; i++) {
            buildKeyVectors[i] = build.vector(rightKeys[i]);
        }
        memory.add((long) batchSize);
        equal = new boolean[batchSize];
        int rows = build.size();
        if (shared != null) {
            table = shared.table; // built and accounted once, by the shared build's owner
            return;
        }
        if (rows == 0) {
            return;
        }
        memory.add((long) rows * (Long.BYTES + 1) + JoinHashTable.bytesFor(rows));
        long[] buildKeys = new long[rows];
        boolean[] nulls = new boolean[rows];
        keys.encode(buildKeyVectors, rows, buildKeys, nulls);
        table = new JoinHashTable(buildKeys, nulls, rows, keys.packed());
    }

    @Override
    void probeBatchStarted() {
        int rows = probeRows;
        for (int i = 0; i < leftKeys.length; i++) {
            probeKeyVectors[i] = probeVectors[leftKeys[i]];
        }
        if (table == null) {
            scanRow = rows; // empty build side: nothing to look up
            return;
        }
        if (cursor == null || cursor.length < rows) {
            // room for a whole batch at once, so that smaller probe batches first do not regrow it
            int size = Math.max(rows, batchSize);
            memory.add((long) size * (Long.BYTES + 2 * Integer.BYTES + 1));
            probeKeys = new long[size];
            probeNulls = new boolean[size];
            cursor = new int[size];
            cursorEnd = new int[size];
        }
        keys.encode(probeKeyVectors, rows, probeKeys, probeNulls);
        JoinHashTable t = table;
        int[] start = t.start;
        for (int i = 0; i < rows; i++) {
            if (probeNulls[i]) {
                cursor[i] = 0;
                cursorEnd[i] = 0;
            } else {
                int b = t.bucket(probeKeys[i]);
                cursor[i] = start[b];
                cursorEnd[i] = start[b + 1];
            }
        }
        scanRow = 0;
    }

    @Override
    int nextCandidates(int[] probeRowsOut, int[] buildRowsOut, int room) {
        if (keys.packed()) {
            return walk(probeRowsOut, buildRowsOut, room);
        }
        while (true) {
            int n = walk(probeRowsOut, buildRowsOut, room);
            if (n == 0) {
                return 0;
            }
            // Equal hashes; now the keys themselves, column by column.
            keys.compare(probeKeyVectors, probeRowsOut, buildKeyVectors, buildRowsOut, n, equal);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (equal[i]) {
                    probeRowsOut[kept] = probeRowsOut[i];
                    buildRowsOut[kept++] = buildRowsOut[i];
                }
            }
            if (kept > 0) {
                return kept;
            }
        }
    }

    /** Scans the probe rows' buckets from where they stopped, collecting entries with an equal key (or hash). */
    private int walk(int[] probeRowsOut, int[] buildRowsOut, int room) {
        long[] entries = table.entries;
        long[] probeKeys = this.probeKeys;
        int[] cursor = this.cursor;
        int[] cursorEnd = this.cursorEnd;
        boolean skipMatched = decidedByFirstMatch();
        boolean stopAtFirst = firstMatchOnly;
        int n = 0;
        int i = scanRow;
        for (; i < probeRows; i++) {
            int p = cursor[i];
            int end = cursorEnd[i];
            if (p >= end) {
                continue;
            }
            if (skipMatched && probeMatched[i]) {
                cursor[i] = end;
                continue;
            }
            long key = probeKeys[i];
            for (; p < end; p++) {
                if (entries[2 * p] == key) {
                    if (n == room) {
                        cursor[i] = p; // resume here, at a match not yet returned
                        scanRow = i;
                        return n;
                    }
                    probeRowsOut[n] = i;
                    buildRowsOut[n++] = (int) entries[2 * p + 1];
                    if (stopAtFirst) {
                        break;
                    }
                }
            }
            cursor[i] = end;
        }
        scanRow = i;
        return n;
    }

    @Override
    void releaseState() {
        table = null;
        buildKeyVectors = null;
        probeKeyVectors = null;
        probeKeys = null;
        probeNulls = null;
        cursor = null;
        cursorEnd = null;
        equal = null;
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
