package dev.duet.planner.exec.join;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * What the hash join and the nested-loop join share. Both buffer the right (build) input first,
 * then pull left (probe) batches; for each probe batch the subclass lists candidate pairs of
 * (probe row, build row) — {@link #nextCandidates} — and this class does the rest: applies the
 * residual condition to a batch of candidates at once, records which rows matched, copies
 * matched pairs into the output, and adds the NULL-extended rows of outer joins and the rows of
 * semi- and anti-joins.
 *
 * <p>Output batches are filled up to the query's batch size. Rows come out in this order: for
 * each probe batch its matched pairs, then (LEFT, FULL) its unmatched rows or (SEMI, ANTI) its
 * kept rows; after the last probe batch (RIGHT, FULL, RIGHT_ANTI) the unmatched build rows or
 * (RIGHT_SEMI) the matched ones.
 */
abstract class AbstractJoinOperator implements Operator {
    private enum Phase { BUILD, PROBE, PROBE_TAIL, BUILD_TAIL, DONE }

    final QueryContext ctx;
    final JoinType type;
    final JoinFilter residual;
    final int batchSize;
    /** Accounts this join's heap arrays against the query's memory limit. */
    final HeapReservation memory;

    private final Operator left;
    /** The build input; null when probing a {@link SharedHashBuild}. */
    private final Operator right;
    /** The build side made once for several copies of this join; null when this join builds its own. */
    final SharedHashBuild shared;
    /** Outputs {@link #shared}'s build rows by the copies' merged matches, and owns it (see the constructor). */
    private boolean tail;
    private final List<BatchColumn> columns;
    private final List<BatchColumn> rightColumns;
    private final List<BatchColumn> candidateColumns;
    private final int leftWidth;
    private final int rightWidth;
    /** Which candidate columns (left then right) the residual reads. */
    private final boolean[] residualReads;
    /** Which right columns the build side keeps. */
    private final boolean[] storedRight;
    /** Which left and right columns are output (the consumer may read only some of them). */
    private final boolean[] leftOutput;
    private final boolean[] rightOutput;
    private final int expectedBuildRows;

    /** The buffered right input; null before the build phase and after the end. */
    BufferedRows build;
    /** The current probe batch (owned by the left input) and its vectors; null between batches. */
    VectorSchemaRoot probe;
    FieldVector[] probeVectors;
    int probeRows;
    /** Per row of the probe batch: matched so far (LEFT, FULL, SEMI, ANTI); else null. */
    boolean[] probeMatched;
    /** Per left column: the current probe batch holds no NULL in it (so gathers skip its bitmap). */
    private boolean[] probeAllValid;
    /** Per right column: the build side holds no NULL in it. */
    private boolean[] buildAllValid;

    private long[] buildMatched;
    private int probeTailRow;
    private int buildTailRow;
    private int[] pairProbe;
    private int[] pairBuild;
    private int[] selection;
    private VectorSchemaRoot candidates;
    private VectorSchemaRoot output;
    private FieldVector[] outputVectors;
    private Phase phase = Phase.BUILD;
    private boolean closed;

    /**
     * @param buildKeys right columns the subclass reads from the build side besides what the
     *        residual reads (its keys); null for none
     */
    AbstractJoinOperator(QueryContext ctx, JoinType type, Operator left, Operator right, JoinFilter residual,
            boolean[] buildKeys, long buildRowsEstimate) {
        this(ctx, type, left, right, residual, buildKeys, buildRowsEstimate, null);
    }

    /**
     * @param outputs the columns of the whole output (left then right, as the type has them) to
     *        produce, ascending; null for all
     */
    AbstractJoinOperator(QueryContext ctx, JoinType type, Operator left, Operator right, JoinFilter residual,
            boolean[] buildKeys, long buildRowsEstimate, int[] outputs) {
        this(ctx, type, left, Objects.requireNonNull(right, "right is null"), right.columns(), null, residual, buildKeys,
                buildRowsEstimate, outputs);
    }

    /**
     * A join probing {@code shared} (built by another instance of the same join) instead of reading
     * a right input. With {@code tail}, the instance that outputs the build rows by the copies'
     * merged matches (its left input has no rows) and then closes {@code shared}; without, a copy
     * that adds its matches to {@code shared} and leaves those rows to the tail.
     */
    AbstractJoinOperator(QueryContext ctx, JoinType type, Operator left, SharedHashBuild shared, JoinFilter residual,
            boolean[] buildKeys, int[] outputs, boolean tail) {
        this(ctx, type, left, null, Objects.requireNonNull(shared, "shared is null").columns, shared, residual, buildKeys, 0,
                outputs);
        this.tail = tail;
    }

    private AbstractJoinOperator(QueryContext ctx, JoinType type, Operator left, Operator right,
            List<BatchColumn> rightColumns, SharedHashBuild shared, JoinFilter residual, boolean[] buildKeys,
            long buildRowsEstimate, int[] outputs) {
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
        this.type = Objects.requireNonNull(type, "type is null");
        this.left = Objects.requireNonNull(left, "left is null");
        this.right = right;
        this.shared = shared;
        this.residual = residual;
        this.batchSize = ctx.batchSize();
        this.memory = new HeapReservation(ctx, getClass().getSimpleName());
        List<BatchColumn> leftColumns = left.columns();
        this.rightColumns = rightColumns;
        this.leftWidth = leftColumns.size();
        this.rightWidth = rightColumns.size();

        this.leftOutput = new boolean[leftWidth];
        this.rightOutput = new boolean[rightWidth];
        int leftOut = type.outputsLeft() ? leftWidth : 0;
        int fullWidth = leftOut + (type.outputsRight() ? rightWidth : 0);
        boolean[] wanted = new boolean[fullWidth];
        if (outputs == null) {
            java.util.Arrays.fill(wanted, true);
        } else {
            for (int o : outputs) {
                if (o < 0 || o >= fullWidth) {
                    throw new IllegalArgumentException("output column " + o + " of a join with " + fullWidth + " columns");
                }
                wanted[o] = true;
            }
        }
        List<BatchColumn> out = new ArrayList<>(leftWidth + rightWidth);
        List<BatchColumn> cand = new ArrayList<>(leftWidth + rightWidth);
        for (int i = 0; i < leftWidth; i++) {
            BatchColumn c = leftColumns.get(i);
            if (type.outputsLeft() && wanted[i]) {
                leftOutput[i] = true;
                out.add(new BatchColumn(c.name(), c.type(), c.nullable() || type.keepsUnmatchedRight()));
            }
            cand.add(new BatchColumn(c.name(), c.type(), true));
        }
        for (int i = 0; i < rightWidth; i++) {
            BatchColumn c = rightColumns.get(i);
            if (type.outputsRight() && wanted[leftOut + i]) {
                rightOutput[i] = true;
                out.add(new BatchColumn(c.name(), c.type(), c.nullable() || type.keepsUnmatchedLeft()));
            }
            cand.add(new BatchColumn(c.name(), c.type(), true));
        }
        this.columns = List.copyOf(out);
        this.candidateColumns = List.copyOf(cand);

        this.residualReads = new boolean[leftWidth + rightWidth];
        this.storedRight = new boolean[rightWidth];
        for (int c = 0; c < residualReads.length; c++) {
            residualReads[c] = residual != null && residual.readsColumn(c);
        }
        for (int c = 0; c < rightWidth; c++) {
            storedRight[c] = rightOutput[c] || residualReads[leftWidth + c] || (buildKeys != null && buildKeys[c]);
        }
        this.expectedBuildRows = buildRowsEstimate > 0 ? (int) Math.min(buildRowsEstimate, 1 << 20) : 0;
    }

    @Override
    public final List<BatchColumn> columns() {
        return columns;
    }

    // ---------------------------------------------------------------- what subclasses provide

    /** Called once the build side is buffered ({@link #build} holds it, possibly empty). */
    abstract void buildComplete();

    /** Called when {@link #probe} holds a new probe batch. */
    abstract void probeBatchStarted();

    /**
     * Writes up to {@code room} (at least 1) further candidate pairs of the current probe batch
     * to {@code probeRows}/{@code buildRows}; 0 means the batch has no more. Never called with an
     * empty build side. Candidates of a probe row already matched in a semi- or anti-join may be
     * skipped: its outcome is decided ({@link #decidedByFirstMatch}).
     */
    abstract int nextCandidates(int[] probeRows, int[] buildRows, int room);

    /** Drops the subclass's state at the end (heap arrays; the memory is accounted in {@link #memory}). */
    abstract void releaseState();

    /** True for SEMI and ANTI: one match decides a probe row, so further candidates can be skipped. */
    final boolean decidedByFirstMatch() {
        return !type.outputsRight();
    }

    // ---------------------------------------------------------------- running

    @Override
    public final VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        if (phase == Phase.DONE) {
            return null;
        }
        ctx.checkCancelled();
        if (phase == Phase.BUILD) {
            buildSide();
            boolean probeNeeded = build.size() > 0 || type.keepsUnmatchedLeft() || type == JoinType.ANTI;
            phase = probeNeeded ? Phase.PROBE : Phase.DONE;
        }
        int count = 0;
        while (count < batchSize && phase != Phase.DONE) {
            switch (phase) {
                case PROBE -> count = probe(count);
                case PROBE_TAIL -> count = probeTail(count);
                case BUILD_TAIL -> count = buildTail(count);
                default -> throw new IllegalStateException("phase " + phase);
            }
        }
        if (count == 0) {
            release();
            return null;
        }
        output.setRowCount(count);
        return output;
    }

    private void buildSide() {
        memory.add(3L * Integer.BYTES * batchSize);
        pairProbe = new int[batchSize];
        pairBuild = new int[batchSize];
        selection = new int[batchSize];
        if (shared != null) {
            build = shared.rows;
        } else {
            readBuild();
        }
        if (type.tracksRightMatches()) {
            int words = (build.size() + 63) >>> 6;
            memory.add((long) words * Long.BYTES);
            buildMatched = new long[words];
            if (tail) {
                shared.copyMatched(buildMatched);
            }
        }
        buildComplete();
        buildAllValid = new boolean[rightWidth];
        for (int c = 0; c < rightWidth; c++) {
            // Once per join (a pass over the bitmap), rather than a bitmap read per gathered row.
            FieldVector v = build.vector(c);
            buildAllValid[c] = build.isStored(c) && v.getValueCount() >= build.size() && v.getNullCount() == 0;
        }
        probeAllValid = new boolean[leftWidth];
        output = Batches.create(ctx.allocator(), columns);
        Batches.allocate(output, batchSize);
        outputVectors = output.getFieldVectors().toArray(new FieldVector[0]);
        probeVectors = new FieldVector[leftWidth];
    }

    /** Buffers the right input into {@link #build} and closes it. */
    final void readBuild() {
        build = new BufferedRows(ctx.allocator(), rightColumns, storedRight, expectedBuildRows);
        FieldVector[] from = new FieldVector[rightWidth];
        for (VectorSchemaRoot batch = right.next(); batch != null; batch = right.next()) {
            ctx.checkCancelled();
            for (int c = 0; c < rightWidth; c++) {
                from[c] = batch.getVector(c);
            }
            build.append(from, batch.getRowCount());
        }
        right.close(); // its buffers are not needed any more
    }

    /** The right input's columns. */
    final List<BatchColumn> rightColumns() {
        return rightColumns;
    }

    /** Candidate pairs of the current probe batch (pulling the next one when needed) into the output. */
    private int probe(int count) {
        ctx.checkCancelled();
        if (probe == null) {
            VectorSchemaRoot batch = left.next();
            if (batch == null) {
                if (shared != null && !tail && buildMatched != null) {
                    shared.addMatched(buildMatched); // the tail outputs the build rows once every copy has
                    phase = Phase.DONE;
                } else {
                    phase = type.tracksRightMatches() ? Phase.BUILD_TAIL : Phase.DONE;
                }
                return count;
            }
            startProbe(batch);
        }
        int n = build.size() == 0 ? 0 : nextCandidates(pairProbe, pairBuild, batchSize - count);
        if (n == 0) {
            phase = Phase.PROBE_TAIL;
            probeTailRow = 0;
            return count;
        }
        if (residual != null) {
            n = applyResidual(n);
        }
        if (probeMatched != null) {
            for (int i = 0; i < n; i++) {
                probeMatched[pairProbe[i]] = true;
            }
        }
        if (buildMatched != null) {
            for (int i = 0; i < n; i++) {
                int r = pairBuild[i];
                buildMatched[r >>> 6] |= 1L << r;
            }
        }
        if (type.outputsPairs()) {
            writePairs(count, n);
            return count + n;
        }
        return count;
    }

    private void startProbe(VectorSchemaRoot batch) {
        probe = batch;
        probeRows = batch.getRowCount();
        for (int c = 0; c < leftWidth; c++) {
            FieldVector v = batch.getVector(c);
            probeVectors[c] = v;
            probeAllValid[c] = v.getValueCount() >= probeRows && v.getNullCount() == 0;
        }
        if (type.keepsUnmatchedLeft() || !type.outputsRight()) {
            if (probeMatched == null || probeMatched.length < probeRows) {
                int size = Math.max(probeRows, batchSize);
                memory.add(size);
                probeMatched = new boolean[size];
            } else {
                Arrays.fill(probeMatched, 0, probeRows, false);
            }
        }
        probeBatchStarted();
    }

    /** After a probe batch's candidates: its unmatched rows (LEFT, FULL) or kept rows (SEMI, ANTI). */
    private int probeTail(int count) {
        int room = batchSize - count;
        int n = 0;
        int r = probeTailRow;
        switch (type) {
            case LEFT, FULL, ANTI -> {
                for (; r < probeRows && n < room; r++) {
                    if (!probeMatched[r]) {
                        pairProbe[n] = r;
                        pairBuild[n++] = -1;
                    }
                }
            }
            case SEMI -> {
                for (; r < probeRows && n < room; r++) {
                    if (probeMatched[r]) {
                        pairProbe[n] = r;
                        pairBuild[n++] = -1;
                    }
                }
            }
            default -> r = probeRows;
        }
        probeTailRow = r;
        writePairs(count, n);
        if (r == probeRows) {
            probe = null; // the left input may reuse it now
            phase = Phase.PROBE;
        }
        return count + n;
    }

    /**
     * After the last probe batch: the build rows nothing matched (RIGHT, FULL: NULL-extended;
     * RIGHT_ANTI), or those something matched (RIGHT_SEMI).
     */
    private int buildTail(int count) {
        int room = batchSize - count;
        int n = 0;
        int r = buildTailRow;
        int size = build.size();
        boolean wanted = type == JoinType.RIGHT_SEMI;
        for (; r < size && n < room; r++) {
            if ((buildMatched[r >>> 6] & (1L << r)) != 0 == wanted) {
                pairProbe[n] = -1;
                pairBuild[n++] = r;
            }
        }
        buildTailRow = r;
        writePairs(count, n);
        if (r == size) {
            phase = Phase.DONE;
        }
        return count + n;
    }

    /** Output rows {@code [at, at + n)} from the pairs (a -1 row is NULLs). */
    private void writePairs(int at, int n) {
        int o = 0;
        for (int c = 0; c < leftWidth; c++) {
            if (leftOutput[c]) {
                VectorGather.gather(probe == null ? null : probeVectors[c], probeAllValid[c], pairProbe, n,
                        outputVectors[o++], at);
            }
        }
        for (int c = 0; c < rightWidth; c++) {
            if (rightOutput[c]) {
                VectorGather.gather(build.vector(c), buildAllValid[c], pairBuild, n, outputVectors[o++], at);
            }
        }
    }

    /** Keeps the first {@code n} candidate pairs the residual accepts, in order; returns how many. */
    private int applyResidual(int n) {
        if (candidates == null) {
            candidates = Batches.create(ctx.allocator(), candidateColumns);
            Batches.allocate(candidates, batchSize);
        }
        for (int c = 0; c < residualReads.length; c++) {
            if (residualReads[c]) {
                FieldVector target = candidates.getVector(c);
                if (c < leftWidth) {
                    VectorGather.gather(probeVectors[c], probeAllValid[c], pairProbe, n, target, 0);
                } else {
                    VectorGather.gather(build.vector(c - leftWidth), buildAllValid[c - leftWidth], pairBuild, n, target, 0);
                }
            }
        }
        candidates.setRowCount(n); // columns the residual does not read stay NULL
        int kept = residual.filter(candidates, selection);
        if (kept < 0 || kept > n) {
            throw new IllegalStateException("join filter " + residual + " selected " + kept + " of " + n + " rows");
        }
        for (int i = 0; i < kept; i++) {
            int s = selection[i];
            pairProbe[i] = pairProbe[s];
            pairBuild[i] = pairBuild[s];
        }
        return kept;
    }

    // ---------------------------------------------------------------- the end

    /** Frees everything at the end of the output (or on close); the operator stays usable only to return null. */
    private void release() {
        phase = Phase.DONE;
        probe = null;
        probeVectors = null;
        probeMatched = null;
        probeAllValid = null;
        buildAllValid = null;
        buildMatched = null;
        pairProbe = null;
        pairBuild = null;
        selection = null;
        releaseState();
        RuntimeException failure = null;
        failure = closeQuietly(output, failure);
        output = null;
        outputVectors = null;
        failure = closeQuietly(candidates, failure);
        candidates = null;
        if (shared == null) {
            failure = closeQuietly(build, failure); // a shared build side is closed by its owner
        } else if (tail) {
            failure = closeQuietly(shared, failure); // the tail is its last reader
        }
        build = null;
        failure = closeQuietly(memory, failure);
        failure = closeQuietly(residual instanceof AutoCloseable c ? c : null, failure);
        failure = closeQuietly(left, failure);
        failure = closeQuietly(right, failure);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeQuietly(AutoCloseable resource, RuntimeException failure) {
        if (resource == null) {
            return failure;
        }
        try {
            resource.close();
        } catch (Exception e) {
            RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            if (failure == null) {
                return r;
            }
            failure.addSuppressed(r);
        }
        return failure;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }
}
