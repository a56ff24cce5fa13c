package dev.duet.planner.exec.ops;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * GROUP BY: hashes the rows of its input into groups and computes the aggregates of an
 * {@link AggregateSpec} per group. Reads the whole input on the first {@link #next()}, then
 * returns one row per group in first-seen order, in batches of the query's batch size: the key
 * columns, then the aggregates. NULL keys form a group of their own. Without group keys there is
 * exactly one group, so that an empty input still gives one row (counts 0, the rest NULL).
 *
 * <p>Groups are found by a {@link GroupHashTable} (open addressing over primitive arrays, keys
 * read from the vectors' buffers; keys of a small domain, such as one-byte flags or small
 * integers, through a direct array indexed by the key, without hashing); each aggregate keeps its state in primitive arrays indexed by
 * group id ({@link Accumulator}). Rows pass to an aggregate through a selection vector that
 * drops rows failing its FILTER column and rows whose argument is NULL; a DISTINCT aggregate
 * also drops (group, value) pairs already seen, using a second hash table keyed by both. With
 * at most {@link #RUN_GROUPS} groups, a channel's rows are sorted by group (a counting sort per
 * batch, not stable) and handed to the accumulators that take them so ({@link Accumulator#accumulateRun}:
 * COUNT and exact sums and averages) as one run per group, keeping each group's running state in
 * registers; floating-point sums keep the input order. An aggregate written twice (the same call
 * in two columns, or SUM and AVG of the same exact argument, as a two-phase plan's partial
 * aggregate holds for Q1's {@code sum(l_quantity)} and {@code avg(l_quantity)}) keeps one state. No
 * object is allocated per row for fixed-width keys and numeric aggregates. All of this state is
 * charged to the query's allocator ({@link HeapReservation}) and freed when the last batch has
 * been returned or the operator is closed.
 *
 * <p>Every column is read through a selection of the batch's rows, so when the input drops rows
 * (a filter, a projection with a fused filter: {@link SelectingOperator}) it may hand over the
 * uncompacted batch and the rows it keeps; the group lookup and the accumulators then read only
 * those rows, without anything gathered.
 *
 * <p>Errors: SUM overflow of its output type is 22003, a second row for {@code SINGLE_VALUE} is
 * 21000, the memory limit 53200.
 */
public final class HashAggregateOperator implements Operator {
    /**
     * Most groups for which a batch's rows are sorted by group before accumulating (see
     * {@link Accumulator#accumulateRun}): with few groups, consecutive rows hit the same few
     * state slots, and each row's update waits for the previous row's store; sorted, a group's
     * sum stays in a register for its whole run. With more groups runs get too short to pay for
     * the sort.
     */
    static final int RUN_GROUPS = 256;
    private static final int[] ONE_RUN = {0};
    private final QueryContext context;
    private final Operator input;
    private final AggregateSpec spec;
    private final List<BatchColumn> output;
    private final int[] keyColumns;
    private final List<DataType> keyTypes;
    private final List<DataType> inputTypes;
    private final int batchSize;

    private HeapReservation memory;
    private GroupHashTable table;
    private Channel[] channels;
    private Accumulator[] accumulators;
    private AggregateInput[] inputs;
    private int accumulatorCapacity;
    private int[] groups = new int[0];
    private int[] identity = new int[0];
    /**
     * The batch's rows (those of its selection, if it has one) sorted by group, and where each
     * group's run starts, for the channels that read all of them (made once per batch, when the
     * first such channel needs it).
     */
    private int[] identityOrder = new int[0];
    private int[] identityStart = new int[0];
    private boolean identitySorted;
    /**
     * Scratch of {@link #sortByGroup}: counts, then write positions, per group, of the rows at even
     * and at odd positions of the selection.
     */
    private int[] cursor = new int[0];
    private int[] cursorOdd = new int[0];
    private FieldVector[] keyVectors;
    private int groupCount;
    private int emitted;
    private boolean built;
    private boolean done;
    private boolean closed;
    private VectorSchemaRoot batch;

    /** Aggregates {@code input} as {@code spec} says; batches of the context's batch size. */
    public HashAggregateOperator(QueryContext context, Operator input, AggregateSpec spec) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.batchSize = context.batchSize();
        List<BatchColumn> in = input.columns();
        keyColumns = spec.keyArray();
        List<BatchColumn> out = new ArrayList<>();
        List<DataType> kt = new ArrayList<>();
        for (int k : keyColumns) {
            Objects.checkIndex(k, in.size());
            out.add(in.get(k));
            kt.add(in.get(k).type());
        }
        keyTypes = List.copyOf(kt);
        List<DataType> it = new ArrayList<>();
        for (BatchColumn c : in) {
            it.add(c.type());
        }
        inputTypes = it;
        for (AggregateCall call : spec.aggregates()) {
            DataType argType = null;
            if (call.argument() >= 0) {
                Objects.checkIndex(call.argument(), in.size());
                argType = in.get(call.argument()).type();
            }
            if (call.filter() >= 0) {
                Objects.checkIndex(call.filter(), in.size());
                if (in.get(call.filter()).type().kind() != DataType.Kind.BOOLEAN) {
                    throw new IllegalArgumentException("filter column " + call.filter() + " of " + call + " is not BOOLEAN");
                }
            }
            // validates kind, argument and output types now rather than at the first batch
            Accumulator.create(call, argType, null);
            out.add(new BatchColumn(call.name(), call.type(), call.nullable()));
        }
        output = List.copyOf(out);
    }

    @Override
    public List<BatchColumn> columns() {
        return output;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("hash aggregate is closed");
        }
        if (done) {
            return null;
        }
        if (!built) {
            build();
        }
        context.checkCancelled();
        if (emitted >= groupCount) {
            done = true;
            release();
            return null;
        }
        int n = Math.min(batchSize, groupCount - emitted);
        if (batch == null) {
            batch = Batches.create(context.allocator(), output);
        }
        Batches.allocate(batch, n);
        List<FieldVector> vectors = batch.getFieldVectors();
        if (table != null) {
            FieldVector[] keys = new FieldVector[keyColumns.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = vectors.get(i);
            }
            table.writeKeys(keys, emitted, n);
        }
        for (int a = 0; a < accumulators.length; a++) {
            accumulators[a].write(vectors.get(keyColumns.length + a), emitted, n);
        }
        batch.setRowCount(n);
        emitted += n;
        if (emitted >= groupCount) {
            freeState();
        }
        return batch;
    }

    private void build() {
        memory = new HeapReservation(context, "hash aggregate");
        List<AggregateCall> calls = spec.aggregates();
        accumulators = new Accumulator[calls.size()];
        inputs = new AggregateInput[inputTypes.size()];
        Map<List<Object>, Channel> byInput = new LinkedHashMap<>();
        Map<List<Object>, Accumulator> byCall = new HashMap<>();
        Map<List<Object>, Accumulator.Int128Sum> sums = new HashMap<>();
        for (int a = 0; a < calls.size(); a++) {
            AggregateCall call = calls.get(a);
            DataType argType = call.argument() >= 0 ? inputTypes.get(call.argument()) : null;
            boolean distinct = call.distinct() && call.kind() != AggregateKind.MIN && call.kind() != AggregateKind.MAX;
            List<Object> callKey = List.of(call.kind(), call.argument(), distinct, call.filter(), call.type());
            Accumulator same = byCall.get(callKey);
            if (same != null) {
                accumulators[a] = same; // the same aggregate twice: one state, written to both columns
                continue;
            }
            Accumulator created = Accumulator.create(call, argType, memory);
            if (created instanceof Accumulator.Int128Sum sum) {
                // SUM and AVG of the same rows keep the same exact sum and count: one state, read twice
                Accumulator.Int128Sum owner = sums.putIfAbsent(List.of(call.argument(), distinct, call.filter()), sum);
                if (owner != null) {
                    accumulators[a] = owner.sharedBy(call.kind() == AggregateKind.AVG, call.type());
                    byCall.put(callKey, accumulators[a]);
                    continue;
                }
            }
            accumulators[a] = created;
            byCall.put(callKey, created);
            boolean skipNulls = call.kind() != AggregateKind.SINGLE_VALUE && call.argument() >= 0;
            List<Object> channelKey = List.of(call.argument(), call.filter(), distinct, skipNulls);
            Channel ch = byInput.get(channelKey);
            if (ch == null) {
                ch = new Channel(call.argument(), call.filter(), distinct, skipNulls);
                if (distinct) {
                    ch.distinctTable = new GroupHashTable(List.of(argType), true, memory);
                }
                byInput.put(channelKey, ch);
            }
            ch.accumulators.add(accumulators[a]);
            if (call.argument() >= 0 && inputs[call.argument()] == null) {
                inputs[call.argument()] = new AggregateInput(argType, memory);
            }
        }
        channels = byInput.values().toArray(new Channel[0]);
        cursor = memory.grow(cursor, RUN_GROUPS + 1);
        cursorOdd = memory.grow(cursorOdd, RUN_GROUPS + 1);
        identityStart = memory.grow(identityStart, RUN_GROUPS + 1);
        for (Channel ch : channels) {
            for (Accumulator acc : ch.accumulators) {
                ch.takesRuns |= acc.takesRuns();
            }
            if (ch.takesRuns) {
                ch.start = memory.grow(ch.start, RUN_GROUPS + 1);
            }
        }
        if (keyColumns.length > 0) {
            table = new GroupHashTable(keyTypes, false, memory);
            keyVectors = new FieldVector[keyColumns.length];
        } else {
            groupCount = 1;
            ensureAccumulators(1);
        }
        // every column is read through a selection below: a filter may skip compacting its kept rows
        SelectingOperator selecting = input instanceof SelectingOperator s ? s : null;
        if (selecting != null) {
            selecting.acceptSelections();
        }
        for (VectorSchemaRoot b = input.next(); b != null; b = input.next()) {
            context.checkCancelled();
            int[] selection = selecting != null ? selecting.selection() : null;
            addBatch(b, selection, selection != null ? selecting.selectedCount() : b.getRowCount());
        }
        input.close();
        built = true;
    }

    /**
     * Adds rows {@code selection[0..selected)} of {@code b}, or all its rows when
     * {@code selection} is null.
     */
    private void addBatch(VectorSchemaRoot b, int[] selection, int selected) {
        int rows = b.getRowCount();
        if (rows == 0) {
            return;
        }
        List<FieldVector> vectors = b.getFieldVectors();
        if (identity.length < rows) {
            int size = AggregateInput.scratchSize(rows);
            identity = memory.grow(identity, size);
            for (int i = 0; i < size; i++) {
                identity[i] = i;
            }
            groups = memory.grow(groups, size);
            identityOrder = memory.grow(identityOrder, size);
            for (Channel ch : channels) {
                ch.sel = memory.grow(ch.sel, size);
                if (ch.takesRuns) {
                    ch.sorted = memory.grow(ch.sorted, size);
                }
                if (ch.distinctTable != null) {
                    ch.distinctOut = memory.grow(ch.distinctOut, size);
                }
            }
        }
        identitySorted = false;
        int[] base = selection != null ? selection : identity;
        int baseCount = selection != null ? selected : rows;
        if (table != null) {
            for (int i = 0; i < keyColumns.length; i++) {
                keyVectors[i] = vectors.get(keyColumns[i]);
            }
            table.findOrInsert(keyVectors, null, rows, base, baseCount, groups);
            groupCount = table.groupCount();
            ensureAccumulators(groupCount);
        }
        for (int c = 0; c < inputs.length; c++) {
            if (inputs[c] != null) {
                inputs[c].reset(vectors.get(c), rows);
            }
        }
        for (Channel ch : channels) {
            int[] sel = base;
            int n = baseCount;
            if (ch.filter >= 0) {
                n = keepTrue(vectors.get(ch.filter), sel, n, ch.sel);
                sel = ch.sel;
            }
            if (ch.skipNulls) {
                FieldVector arg = vectors.get(ch.argument);
                if (arg.getNullCount() > 0) {
                    n = keepNonNull(arg, sel, n, ch.sel);
                    sel = ch.sel;
                }
            }
            if (ch.distinctTable != null) {
                int before = ch.distinctTable.groupCount();
                ch.distinctTable.findOrInsert(new FieldVector[] {vectors.get(ch.argument)}, groups, rows, sel, n, ch.distinctOut);
                n = keepFirst(sel, n, ch.distinctOut, before, ch.sel);
                sel = ch.sel;
            }
            AggregateInput in = ch.argument >= 0 ? inputs[ch.argument] : null;
            boolean runs = ch.takesRuns && n > 0 && (groupCount == 1 || (groupCount <= RUN_GROUPS && n >= 4 * groupCount));
            int[] sorted = sel;
            int[] start = ONE_RUN;
            if (runs && groupCount > 1) {
                if (sel == base) {
                    if (!identitySorted) {
                        sortByGroup(sel, n, identityOrder, identityStart);
                        identitySorted = true;
                    }
                    sorted = identityOrder;
                    start = identityStart;
                } else {
                    sortByGroup(sel, n, ch.sorted, ch.start);
                    sorted = ch.sorted;
                    start = ch.start;
                }
            }
            for (Accumulator acc : ch.accumulators) {
                if (!runs || !acc.takesRuns()) {
                    acc.accumulate(groups, sel, n, in);
                } else if (groupCount == 1) {
                    acc.accumulateRun(0, sel, 0, n, in);
                } else {
                    for (int g = 0; g < groupCount; g++) {
                        if (start[g] < start[g + 1]) {
                            acc.accumulateRun(g, sorted, start[g], start[g + 1], in);
                        }
                    }
                }
            }
        }
    }

    /**
     * Sorts rows {@code sel[0..n)} by group into {@code out} (a counting sort): the rows of group
     * {@code g} end up in {@code out[start[g]..start[g + 1])}, those at even positions of
     * {@code sel} before those at odd ones. The two halves keep counts and write positions of
     * their own, so that consecutive rows of one group (few groups: most rows) do not each wait
     * for the previous row's increment of the same counter. Not stable, which the accumulators
     * taking runs (exact arithmetic) do not mind. Only for at most {@link #RUN_GROUPS} groups.
     */
    private void sortByGroup(int[] sel, int n, int[] out, int[] start) {
        int gc = groupCount;
        int[] g = groups;
        int[] even = cursor;
        int[] odd = cursorOdd;
        Arrays.fill(even, 0, gc, 0);
        Arrays.fill(odd, 0, gc, 0);
        int pairs = n & ~1;
        for (int k = 0; k < pairs; k += 2) {
            even[g[sel[k]]]++;
            odd[g[sel[k + 1]]]++;
        }
        if (pairs < n) {
            even[g[sel[pairs]]]++;
        }
        int sum = 0;
        for (int i = 0; i < gc; i++) {
            int e = even[i];
            int o = odd[i];
            start[i] = sum;
            even[i] = sum;
            odd[i] = sum + e;
            sum += e + o;
        }
        start[gc] = sum;
        for (int k = 0; k < pairs; k += 2) {
            int r0 = sel[k];
            int r1 = sel[k + 1];
            out[even[g[r0]]++] = r0;
            out[odd[g[r1]]++] = r1;
        }
        if (pairs < n) {
            int r = sel[pairs];
            out[even[g[r]]++] = r;
        }
    }

    private void ensureAccumulators(int groups) {
        if (groups <= accumulatorCapacity) {
            return;
        }
        int capacity = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(groups, 2L * accumulatorCapacity));
        for (Accumulator acc : accumulators) {
            acc.ensureCapacity(capacity);
        }
        accumulatorCapacity = capacity;
    }

    /** Keeps the rows of {@code sel[0..n)} whose BOOLEAN column is TRUE. */
    private static int keepTrue(FieldVector v, int[] sel, int n, int[] out) {
        long data = v.getDataBufferAddress();
        long validity = v.getValidityBufferAddress();
        boolean nulls = v.getNullCount() > 0;
        int m = 0;
        for (int k = 0; k < n; k++) {
            int r = sel[k];
            if (ArrowBuffers.bit(data, r) != 0 && !(nulls && ArrowBuffers.isNull(validity, r))) {
                out[m++] = r;
            }
        }
        return m;
    }

    private static int keepNonNull(FieldVector v, int[] sel, int n, int[] out) {
        long validity = v.getValidityBufferAddress();
        int m = 0;
        for (int k = 0; k < n; k++) {
            int r = sel[k];
            if (!ArrowBuffers.isNull(validity, r)) {
                out[m++] = r;
            }
        }
        return m;
    }

    /**
     * Keeps the rows that inserted a new (group, value) pair: new pairs get consecutive ids from
     * {@code before} in the order of {@code sel}, so a row is first exactly when its id is the
     * next one expected.
     */
    private static int keepFirst(int[] sel, int n, int[] ids, int before, int[] out) {
        int next = before;
        int m = 0;
        for (int k = 0; k < n; k++) {
            int r = sel[k];
            if (ids[r] == next) {
                out[m++] = r;
                next++;
            }
        }
        return m;
    }

    private void freeState() {
        if (table != null) {
            table.free();
            table = null;
        }
        if (channels != null) {
            for (Channel ch : channels) {
                if (ch.distinctTable != null) {
                    ch.distinctTable.free();
                }
            }
        }
        channels = null;
        accumulators = null;
        inputs = null;
        groups = null;
        identity = null;
        identityOrder = null;
        identityStart = null;
        cursor = null;
        cursorOdd = null;
        if (memory != null) {
            memory.close();
        }
    }

    private void release() {
        freeState();
        if (batch != null) {
            VectorSchemaRoot b = batch;
            batch = null;
            b.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release();
        } finally {
            input.close();
        }
    }

    @Override
    public String toString() {
        return "HashAggregate[" + spec + "]";
    }

    /** The rows one set of aggregates reads: same argument, filter, DISTINCT and NULL handling. */
    private static final class Channel {
        final int argument;
        final int filter;
        final boolean distinct;
        final boolean skipNulls;
        final List<Accumulator> accumulators = new ArrayList<>();
        int[] sel = new int[0];
        /** Whether an accumulator of this channel takes its rows as runs of one group. */
        boolean takesRuns;
        int[] sorted = new int[0];
        int[] start = new int[0];
        GroupHashTable distinctTable;
        int[] distinctOut = new int[0];

        Channel(int argument, int filter, boolean distinct, boolean skipNulls) {
            this.argument = argument;
            this.filter = filter;
            this.distinct = distinct;
            this.skipNulls = skipNulls;
        }
    }
}
