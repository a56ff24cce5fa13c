package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import dev.duet.core.exec.HeapReservation;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A hash join ({@link HashJoinSpec}): buffers the right input, builds a {@link JoinHashTable} on
 * its keys, then streams the left input through it. Output: the left columns then the right
 * columns (SEMI and ANTI: the left columns only), NULLs for the missing side of an outer join's
 * unmatched rows. A NULL in any key column matches nothing, as SQL's {@code =} does.
 *
 * <p>A probe batch's keys are encoded from the vectors' buffers a column at a time, then one loop
 * looks every row's first candidate up in the table ({@link JoinHashTable#lookup}); the
 * candidate pairs are then read off that array (with no branch when no build key repeats) and
 * the output columns gathered from them a column at a time. Keys that fit 64 bits together are
 * packed into one long and compared as longs; wider keys (DECIMAL(38), strings, several BIGINTs)
 * are compared by hash first and then column by column on the buffers. Nothing is allocated per
 * row. The table and every buffer are accounted to the query's memory limit
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
    /** Threads besides this one that may build the table (set by {@link #buildShared}); null: this one alone. */
    private Executor buildPool;
    private int buildThreads = 1;

    private JoinHashTable table;
    private FieldVector[] buildKeyVectors;
    private FieldVector[] probeKeyVectors;
    private long[] probeKeys;
    private boolean[] probeNulls;
    /**
     * Per probe row: row + 1 of the next build row to return as its candidate, 0 when it has none
     * left. Starts as the table's first candidate; a walk cut short by a full output batch leaves
     * the row's remaining chain here.
     */
    private int[] candidate;
    private boolean[] equal;
    /** Probe rows before this one have no candidates left. */
    private int scanRow;
    /**
     * Whether the next probe batch consults the table's Bloom filter. It pays when most probes
     * miss and costs a little when most match, so each batch's outcome sets it for the next:
     * off once more than half of a batch got past the filter, on again once fewer than a quarter
     * of a batch found a candidate (the gap keeps a probe side near the border from flipping).
     */
    private boolean filterProbes = true;

    public HashJoinOperator(QueryContext ctx, HashJoinSpec spec, Operator left, Operator right) {
        super(ctx, Objects.requireNonNull(spec, "spec is null").type(), left, right, spec.residual(),
                rightKeyColumns(spec, left.columns(), right.columns()), spec.buildRowsEstimate(), spec.outputs());
        this.spec = spec;
        this.leftKeys = spec.keys().stream().mapToInt(JoinKey::left).toArray();
        this.rightKeys = spec.keys().stream().mapToInt(JoinKey::right).toArray();
        this.keys = keyColumns(spec, left.columns(), right.columns());
        this.firstMatchOnly = decidedByFirstMatch() && spec.residual() == null && keys.packed();
    }

    /**
     * A copy of a join that probes {@code shared}, the build side another instance of the same
     * join made ({@link #buildShared}), with {@code left} as its probe input: the copies of a
     * parallel query's pipeline each probe one table. A join that outputs build rows by whether
     * they matched (RIGHT, FULL, RIGHT_SEMI, RIGHT_ANTI) leaves them to {@link #buildTail}.
     */
    public HashJoinOperator(QueryContext ctx, HashJoinSpec spec, Operator left, SharedHashBuild shared) {
        this(ctx, spec, left, shared, false);
    }

    private HashJoinOperator(QueryContext ctx, HashJoinSpec spec, Operator left, SharedHashBuild shared, boolean tail) {
        super(ctx, Objects.requireNonNull(spec, "spec is null").type(), left, shared, spec.residual(),
                rightKeyColumns(spec, left.columns(), shared.columns), spec.outputs(), tail);
        this.spec = spec;
        this.leftKeys = spec.keys().stream().mapToInt(JoinKey::left).toArray();
        this.rightKeys = spec.keys().stream().mapToInt(JoinKey::right).toArray();
        this.keys = keyColumns(spec, left.columns(), shared.columns);
        this.firstMatchOnly = decidedByFirstMatch() && spec.residual() == null && keys.packed();
    }

    /**
     * Reads {@code right} (which it closes) and makes the build side of the join {@code spec}
     * describes once, for copies that probe it at the same time ({@link SharedHashBuild}); the
     * probe side's columns are {@code leftColumns}. A large table is built on up to
     * {@code threads} threads, this one and {@code pool}'s ({@link JoinHashTable#build}; null: this
     * one alone). The caller closes the result after the copies.
     */
    public static SharedHashBuild buildShared(QueryContext ctx, HashJoinSpec spec, List<BatchColumn> leftColumns,
            Operator right, Executor pool, int threads) {
        HashJoinOperator builder = new HashJoinOperator(ctx, spec, new NoRows(leftColumns), right);
        builder.buildPool = pool;
        builder.buildThreads = threads;
        try {
            return builder.detachBuild();
        } finally {
            builder.close();
        }
    }

    /**
     * The build rows of {@code shared} that the copies probing it matched (RIGHT_SEMI) or did not
     * (RIGHT, FULL: NULL-extended; RIGHT_ANTI), once every copy has ended; {@code leftColumns}
     * are the probe side's. Closes {@code shared} when it closes: it runs after the copies, so it
     * is the build's last reader.
     */
    public static HashJoinOperator buildTail(QueryContext ctx, HashJoinSpec spec, List<BatchColumn> leftColumns,
            SharedHashBuild shared) {
        if (!spec.type().tracksRightMatches()) {
            throw new IllegalArgumentException(spec.type() + " join outputs no build rows after its probe side");
        }
        return new HashJoinOperator(ctx, spec, new NoRows(leftColumns), shared, true);
    }

    /** Builds, then hands the rows and table over to a {@link SharedHashBuild} (this join no longer frees them). */
    private SharedHashBuild detachBuild() {
        readBuild();
        buildComplete();
        HeapReservation reserved = new HeapReservation(ctx, "SharedHashBuild");
        boolean tracks = type.tracksRightMatches();
        try {
            // The builder's own reservation goes when it closes; the shared build keeps the table.
            reserved.add((table == null ? 0 : table.bytes()) + (tracks ? SharedHashBuild.matchedBytes(build.size()) : 0));
        } catch (RuntimeException e) {
            reserved.close();
            throw e;
        }
        SharedHashBuild s = new SharedHashBuild(build, table, rightColumns(), reserved, tracks);
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
        memory.add((long) rows * (Long.BYTES + 1));
        long[] buildKeys = new long[rows];
        boolean[] nulls = new boolean[rows];
        keys.encode(buildKeyVectors, rows, buildKeys, nulls);
        table = JoinHashTable.build(buildKeys, nulls, rows, keys.packed(), memory, buildPool, buildThreads);
        memory.release((long) rows * (Long.BYTES + 1)); // the keys are in the table now
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
        if (candidate == null || candidate.length < rows) {
            // room for a whole batch at once, so that smaller probe batches first do not regrow it
            int size = Math.max(rows, batchSize);
            memory.add((long) size * (Long.BYTES + Integer.BYTES + 1));
            probeKeys = new long[size];
            probeNulls = new boolean[size];
            candidate = new int[size];
        }
        keys.encode(probeKeyVectors, rows, probeKeys, probeNulls);
        boolean filter = filterProbes && table.filtered();
        int passed = table.lookup(probeKeys, probeNulls, rows, candidate, filter);
        filterProbes = filter ? 2L * passed <= rows : 4L * passed < rows;
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

    /** The probe rows' candidates from where the last call stopped, up to {@code room} pairs. */
    private int walk(int[] probeRowsOut, int[] buildRowsOut, int room) {
        if (table.unique()) {
            return walkUnique(probeRowsOut, buildRowsOut, room);
        }
        int[] candidate = this.candidate;
        JoinHashTable t = table;
        boolean skipMatched = decidedByFirstMatch();
        boolean stopAtFirst = firstMatchOnly;
        int n = 0;
        int i = scanRow;
        for (; i < probeRows; i++) {
            int r = candidate[i];
            if (r == 0 || skipMatched && probeMatched[i]) {
                continue;
            }
            do {
                if (n == room) {
                    candidate[i] = r; // resume here, at a candidate not yet returned
                    scanRow = i;
                    return n;
                }
                probeRowsOut[n] = i;
                buildRowsOut[n++] = r - 1;
                r = stopAtFirst ? 0 : t.next(r - 1);
            } while (r != 0);
            candidate[i] = 0;
        }
        scanRow = i;
        return n;
    }

    /**
     * {@link #walk} when no build key repeats: at most one candidate per row, so the rows' list
     * is compacted without branches (a row already matched in a semi- or anti-join cannot be
     * offered its single candidate twice).
     */
    private int walkUnique(int[] probeRowsOut, int[] buildRowsOut, int room) {
        int[] candidate = this.candidate;
        int i = scanRow;
        int n = 0;
        // Rows [i, end) give at most end - i pairs, so the unconditional stores stay below room.
        while (n == 0 && i < probeRows) {
            int end = (int) Math.min(probeRows, (long) i + room);
            for (; i < end; i++) {
                int r = candidate[i];
                probeRowsOut[n] = i;
                buildRowsOut[n] = r - 1;
                n += r != 0 ? 1 : 0;
            }
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
        candidate = null;
        equal = null;
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
