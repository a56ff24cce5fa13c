package dev.duet.planner.exec.ops;

import dev.duet.core.DuetException;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CommonSubexpressions;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.InputRefEvaluator;
import dev.duet.planner.exec.expr.VectorEvaluator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.calcite.plan.RelOptUtil;

/**
 * Computes one output column per expression from each input batch, optionally keeping only the
 * rows for which a filter predicate is TRUE first (a filter fused below the projection, so that
 * columns only the filter reads are never copied; an AND is applied operand by operand over the
 * rows still kept, see {@link ConjunctFilter}). A column that is a plain reference to an
 * input column is passed through as the input's own vector when no row was dropped; computed
 * columns live in the expressions' evaluators, reused across batches. Batches where the filter
 * drops every row are skipped.
 *
 * <p>When the filter drops some rows, each input column the projections read is first gathered
 * once into a compact vector of the kept rows, and the projections are evaluated over those
 * compact columns; a column that several projections read (a price in three products, say) is
 * thus copied once per batch rather than once per reference.
 *
 * <p>When the consumer reads selections ({@link SelectingOperator}) and the filter keeps most rows
 * of a batch, nothing is gathered: the projections are computed for every row of the batch and
 * the batch goes out with the kept rows as its selection. Computing a dropped row must not raise
 * an error the query never asks for (a division by zero in a row the filter removes), so a data
 * error (SQLSTATE class 22) from this speculative pass is not reported: the batch is computed
 * again over the kept rows only, compacted as above, and that pass reports what it raises.
 * Evaluators are pure, so the discarded pass leaves nothing behind.
 *
 * <p>Subexpressions that several projections compute ({@link CommonSubexpressions}) are computed
 * once per batch, into columns appended after the input's that the projections then read.
 */
public final class ProjectOperator implements SelectingOperator {
    private final QueryContext context;
    private final Operator input;
    private final List<BatchColumn> columns;
    private final List<Field> fields;
    private final ConjunctFilter filter;
    private final List<VectorEvaluator> evaluators;
    /** The shared subexpressions' evaluators, in order (each reads only columns before its own). */
    private final List<VectorEvaluator> shared;
    /** The input's fields followed by the shared columns'. */
    private final List<Field> extendedFields;
    private final FieldVector[] extendedVectors;
    /** The batch the projections read when there are shared columns; rebuilt when a vector changes. */
    private VectorSchemaRoot extended;
    /** Empty vectors standing for the shared columns until their first evaluation. */
    private final List<FieldVector> placeholders = new ArrayList<>();
    /** Projections that repeat an input column already passed through: always copied. */
    private final boolean[] copy;
    private int[] identity = new int[0];
    /** The input's fields, for the compact batch. */
    private final List<Field> inputFields;
    /** Per input column read by a projection: gathers its kept rows (null when no filter). */
    private final InputRefEvaluator[] compact;
    private final FieldVector[] compactVectors;
    /**
     * The compact batch: the compact vectors (the same objects from batch to batch) and, for the
     * columns no projection reads, empty placeholders. Made at the first compaction; its row
     * count is not kept up to date, since evaluators are told the count.
     */
    private VectorSchemaRoot compactBatch;
    /** The last output batch and its vectors, returned again when the vectors are the same objects. */
    private VectorSchemaRoot output;
    private FieldVector[] outputVectors;
    private boolean done;
    private boolean closed;
    private boolean selecting;
    private int[] selection;
    private int selected;

    /**
     * @param names output column names, one per projection
     * @param filter a BOOLEAN predicate over the input evaluated before the projections, or null
     */
    public ProjectOperator(QueryContext context, Operator input, List<CompiledExpression> projections, List<String> names,
            CompiledExpression filter) {
        this(context, input, CommonSubexpressions.of(projections, input.columns()), names, filter);
    }

    /**
     * As {@link #ProjectOperator(QueryContext, Operator, List, List, CompiledExpression)}, with
     * the projections' common subexpressions already found (over {@code input}'s columns).
     */
    public ProjectOperator(QueryContext context, Operator input, CommonSubexpressions projections, List<String> names,
            CompiledExpression filter) {
        this(context, input, projections.projections(), projections.shared(), projections.columns(), names, filter);
    }

    private ProjectOperator(QueryContext context, Operator input, List<CompiledExpression> projections,
            List<CompiledExpression> sharedExpressions, List<BatchColumn> extendedColumns, List<String> names,
            CompiledExpression filter) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        Objects.requireNonNull(projections, "projections is null");
        if (names.size() != projections.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + projections.size() + " projections");
        }
        if (filter != null && filter.type().kind() != DataType.Kind.BOOLEAN) {
            throw new IllegalArgumentException("filter predicate is of type " + filter.type());
        }
        List<BatchColumn> cols = new ArrayList<>();
        List<Field> f = new ArrayList<>();
        this.copy = new boolean[projections.size()];
        Set<Integer> passed = new HashSet<>();
        for (int i = 0; i < projections.size(); i++) {
            CompiledExpression e = projections.get(i);
            BatchColumn c = new BatchColumn(names.get(i), e.type(), e.nullable());
            cols.add(c);
            f.add(c.field());
            copy[i] = e.inputIndex() >= 0 && !passed.add(e.inputIndex());
        }
        this.columns = List.copyOf(cols);
        this.fields = List.copyOf(f);
        List<BatchColumn> in = input.columns();
        List<Field> inFields = new ArrayList<>(in.size());
        for (BatchColumn c : in) {
            inFields.add(c.field());
        }
        this.inputFields = List.copyOf(inFields);
        this.compact = new InputRefEvaluator[in.size()];
        this.compactVectors = new FieldVector[in.size()];
        List<Field> ext = new ArrayList<>();
        for (BatchColumn c : extendedColumns) {
            ext.add(c.field());
        }
        this.extendedFields = List.copyOf(ext);
        this.extendedVectors = new FieldVector[ext.size()];
        List<VectorEvaluator> opened = new ArrayList<>();
        List<VectorEvaluator> openedShared = new ArrayList<>();
        ConjunctFilter p = null;
        try {
            if (filter != null) {
                p = new ConjunctFilter(filter, context);
            }
            for (CompiledExpression e : sharedExpressions) {
                openedShared.add(e.open(context));
            }
            for (CompiledExpression e : projections) {
                opened.add(e.open(context));
            }
            for (int k = in.size(); k < ext.size(); k++) {
                FieldVector v = ext.get(k).createVector(context.allocator());
                placeholders.add(v);
                extendedVectors[k] = v;
            }
            if (filter != null) {
                List<CompiledExpression> all = new ArrayList<>(projections);
                all.addAll(sharedExpressions);
                for (CompiledExpression e : all) {
                    for (int c : RelOptUtil.InputFinder.bits(e.source())) {
                        if (c < in.size() && compact[c] == null) {
                            compact[c] = new InputRefEvaluator(in.get(c).type(), c, context.allocator());
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            }
            opened.forEach(VectorEvaluator::close);
            openedShared.forEach(VectorEvaluator::close);
            placeholders.forEach(FieldVector::close);
            closeCompact();
            throw e;
        }
        this.filter = p;
        this.evaluators = List.copyOf(opened);
        this.shared = List.copyOf(openedShared);
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public void acceptSelections() {
        selecting = true;
    }

    @Override
    public int[] selection() {
        return selection;
    }

    @Override
    public int selectedCount() {
        return selected;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("project is closed");
        }
        selection = null;
        while (!done) {
            context.checkCancelled();
            VectorSchemaRoot batch = input.next();
            if (batch == null) {
                done = true;
                release();
                return null;
            }
            int n = batch.getRowCount();
            int count = n;
            if (filter != null) {
                count = filter.select(batch, n);
                if (count == 0) {
                    continue;
                }
                if (count < n && selecting && SelectingOperator.worthSelecting(count, n)) {
                    VectorSchemaRoot all = speculate(batch, n);
                    if (all != null) {
                        selection = filter.rows();
                        selected = count;
                        return all;
                    }
                }
                if (count < n) {
                    batch = compact(batch, filter.rows(), count);
                }
            }
            return output(batch, count);
        }
        return null;
    }

    /**
     * The projections of {@code count} rows of {@code batch}. The output batch is made again only
     * when an output vector is not the one of the last batch (a passed-through input vector of a
     * new input batch): making one builds a schema and a map of its fields, which is not free at
     * every batch.
     */
    private VectorSchemaRoot output(VectorSchemaRoot batch, int count) {
        if (!shared.isEmpty()) {
            batch = withShared(batch, count);
        }
        int n = evaluators.size();
        if (outputVectors == null) {
            outputVectors = new FieldVector[n];
        }
        boolean same = output != null;
        for (int i = 0; i < n; i++) {
            FieldVector v = evaluators.get(i).evaluate(batch, copy[i] ? identity(count) : null, count);
            same &= v == outputVectors[i];
            outputVectors[i] = v;
        }
        if (same) {
            output.setRowCount(count); // each vector's value count is already count
            return output;
        }
        output = new VectorSchemaRoot(fields, new ArrayList<>(Arrays.asList(outputVectors)), count);
        return output;
    }

    /**
     * The projections of every row of {@code batch} ({@code n} rows), or null when computing them
     * raised a data error, which a row the filter dropped may have caused; see the class javadoc.
     */
    private VectorSchemaRoot speculate(VectorSchemaRoot batch, int n) {
        try {
            return output(batch, n);
        } catch (DuetException e) {
            if (!e.sqlState().startsWith("22")) {
                throw e;
            }
            output = null; // some output vectors were replaced before the error: make the batch again
            return null;
        }
    }

    /**
     * {@code batch} with the shared columns computed and appended. The batch is made again only
     * when one of its vectors is not the one of the last batch (a new input batch's vector, the
     * first evaluation of a shared column); its row count is not kept up to date, since
     * evaluators are told the count.
     */
    private VectorSchemaRoot withShared(VectorSchemaRoot batch, int count) {
        int n = batch.getFieldVectors().size();
        boolean same = extended != null;
        for (int c = 0; c < n; c++) {
            FieldVector v = batch.getVector(c);
            same &= v == extendedVectors[c];
            extendedVectors[c] = v;
        }
        if (!same) {
            extended = new VectorSchemaRoot(extendedFields, new ArrayList<>(Arrays.asList(extendedVectors)), 0);
        }
        for (int k = 0; k < shared.size(); k++) {
            FieldVector v = shared.get(k).evaluate(extended, null, count);
            if (v != extendedVectors[n + k]) {
                extendedVectors[n + k] = v;
                extended = new VectorSchemaRoot(extendedFields, new ArrayList<>(Arrays.asList(extendedVectors)), 0);
            }
        }
        return extended;
    }

    /**
     * The kept rows {@code rows[0..count)} of the columns the projections read, as a batch with
     * the input's column positions; see {@link #compactBatch}.
     */
    private VectorSchemaRoot compact(VectorSchemaRoot batch, int[] rows, int count) {
        for (int c = 0; c < compact.length; c++) {
            if (compact[c] != null) {
                compactVectors[c] = compact[c].evaluate(batch, rows, count);
            }
        }
        if (compactBatch == null) {
            for (int c = 0; c < compact.length; c++) {
                if (compact[c] == null) {
                    compactVectors[c] = inputFields.get(c).createVector(context.allocator());
                }
            }
            compactBatch = new VectorSchemaRoot(inputFields, new ArrayList<>(Arrays.asList(compactVectors)), 0);
        }
        return compactBatch;
    }

    private void closeCompact() {
        for (int c = 0; c < compact.length; c++) {
            if (compact[c] != null) {
                compact[c].close();
            } else if (compactVectors[c] != null) {
                compactVectors[c].close(); // an empty placeholder
            }
        }
    }

    private int[] identity(int count) {
        if (identity.length < count) {
            identity = new int[count];
            for (int i = 0; i < count; i++) {
                identity[i] = i;
            }
        }
        return identity;
    }

    private void release() {
        if (filter != null) {
            filter.close();
        }
        evaluators.forEach(VectorEvaluator::close);
        shared.forEach(VectorEvaluator::close);
        placeholders.forEach(FieldVector::close);
        closeCompact();
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
}
