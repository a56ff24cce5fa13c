package dev.duet.planner.convert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Adds to a tree of inner joins the column equalities its join conditions imply: {@code a = b}
 * and {@code b = c} give {@code a = c}. The join ordering ({@code LoptOptimizeJoinRule}) joins only
 * tables that a condition links, so without the implied one it cannot join {@code a}'s table
 * with {@code c}'s directly. TPC-H q5 says {@code c_nationkey = s_nationkey} and {@code s_nationkey
 * = n_nationkey}: with {@code c_nationkey = n_nationkey} the customers can meet one region's
 * nations before the orders and line items meet them, so that the line items probe the orders of
 * that region's customers (3% of them) first instead of that region's suppliers (20%).
 *
 * <p>Only plain column references of one type (nullability aside) are related, and only between different
 * inputs of the tree (an equality within one input belongs below it). The implied condition is
 * redundant once both of its columns' tables are joined, so the join that meets them last
 * compares one more key; rows are unchanged, since every row of an inner join satisfies all of
 * its conditions (and none of the columns is NULL). Outer, semi and anti joins end a tree.
 */
final class ImpliedJoinEqualities extends RelShuttleImpl {
    private ImpliedJoinEqualities() {
    }

    static RelNode apply(RelNode rel) {
        return rel.accept(new ImpliedJoinEqualities());
    }

    @Override
    public RelNode visit(LogicalJoin join) {
        if (join.getJoinType() != JoinRelType.INNER) {
            return super.visit(join);
        }
        LogicalJoin tree = visitInputs(join);
        int width = tree.getRowType().getFieldCount();
        int[] input = new int[width];
        int[] parent = new int[width];
        for (int i = 0; i < width; i++) {
            parent[i] = i;
        }
        Set<Long> stated = new HashSet<>();
        collect(tree, 0, new int[] {0}, input, parent, stated);

        List<RelDataTypeField> fields = tree.getRowType().getFieldList();
        RexBuilder rex = tree.getCluster().getRexBuilder();
        RelDataTypeFactory types = tree.getCluster().getTypeFactory();
        List<RexNode> implied = new ArrayList<>();
        for (int a = 0; a < width; a++) {
            for (int b = a + 1; b < width; b++) {
                if (input[a] != input[b] && find(parent, a) == find(parent, b) && !stated.contains(pair(a, b))
                        && SqlTypeUtil.equalSansNullability(types, fields.get(a).getType(), fields.get(b).getType())) {
                    implied.add(rex.makeCall(SqlStdOperatorTable.EQUALS, rex.makeInputRef(tree, a), rex.makeInputRef(tree, b)));
                    stated.add(pair(a, b));
                }
            }
        }
        if (implied.isEmpty()) {
            return tree;
        }
        implied.add(0, tree.getCondition());
        return tree.copy(tree.getTraitSet(), RexUtil.composeConjunction(rex, implied), tree.getLeft(), tree.getRight(),
                tree.getJoinType(), tree.isSemiJoinDone());
    }

    /** {@code join} with the inputs below its tree of inner joins visited (they may hold trees of their own). */
    private LogicalJoin visitInputs(LogicalJoin join) {
        List<RelNode> inputs = new ArrayList<>(2);
        boolean changed = false;
        for (RelNode in : join.getInputs()) {
            RelNode visited = in instanceof LogicalJoin j && j.getJoinType() == JoinRelType.INNER
                    ? visitInputs(j) : in.accept(this);
            changed |= visited != in;
            inputs.add(visited);
        }
        return changed ? (LogicalJoin) join.copy(join.getTraitSet(), inputs) : join;
    }

    /**
     * Numbers the tree's inputs (into {@code input}, per field of the tree's row) and unites the
     * fields its conditions equate; {@code offset} is the join's first field in the tree's row.
     */
    private static void collect(RelNode node, int offset, int[] next, int[] input, int[] parent, Set<Long> stated) {
        if (!(node instanceof LogicalJoin join) || join.getJoinType() != JoinRelType.INNER) {
            int id = next[0]++;
            for (int i = 0; i < node.getRowType().getFieldCount(); i++) {
                input[offset + i] = id;
            }
            return;
        }
        collect(join.getLeft(), offset, next, input, parent, stated);
        collect(join.getRight(), offset + join.getLeft().getRowType().getFieldCount(), next, input, parent, stated);
        for (RexNode c : RelOptUtil.conjunctions(join.getCondition())) {
            if (c.isA(SqlKind.EQUALS) && c instanceof RexCall call
                    && call.getOperands().get(0) instanceof RexInputRef l
                    && call.getOperands().get(1) instanceof RexInputRef r) {
                int a = offset + l.getIndex();
                int b = offset + r.getIndex();
                stated.add(pair(a, b));
                parent[find(parent, a)] = find(parent, b);
            }
        }
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static long pair(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }
}
