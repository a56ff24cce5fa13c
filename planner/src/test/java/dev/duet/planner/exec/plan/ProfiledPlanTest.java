package dev.duet.planner.exec.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.exec.QueryProfile;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.ops.SortKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PlanNode#instantiate} wraps operators only for a profiled query, and {@link ProfiledPlan}
 * prints each node's measured counts, inputs indented under an arrow.
 */
class ProfiledPlanTest {
    private final RootAllocator root = new RootAllocator();

    @AfterEach
    void close() {
        assertEquals(0, root.getAllocatedMemory());
        root.close();
    }

    private static PlanNode sortOverValues(int rows) {
        List<List<Object>> values = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            values.add(List.of((long) (i * 7 % rows)));
        }
        ValuesNode in = new ValuesNode(List.of(new BatchColumn("x", DataType.BIGINT, false)), values);
        return new SortNode(in, List.of(new SortKey(0, false, false)), LimitBound.of(null, false), LimitBound.of(null, true));
    }

    private static long drain(Operator op) {
        long n = 0;
        for (var b = op.next(); b != null; b = op.next()) {
            n += b.getRowCount();
        }
        return n;
    }

    @Test
    void unprofiledQueriesGetTheBareOperator() {
        PlanNode plan = sortOverValues(5);
        try (QueryContext context = new QueryContext(root, 1 << 20)) {
            Class<?> bare;
            try (Operator op = plan.createOperator(context, null)) {
                bare = op.getClass();
            }
            try (Operator op = PlanNode.instantiate(plan, context, null)) {
                assertEquals(bare, op.getClass());
                assertEquals(5, drain(op));
            }
        }
    }

    @Test
    void profiledPlanText() {
        PlanNode plan = sortOverValues(5);
        QueryProfile profile = new QueryProfile();
        try (QueryContext context = new QueryContext(root, 1 << 20)) {
            context.setProfile(profile);
            try (Operator op = PlanNode.instantiate(plan, context, null)) {
                assertEquals("ProfiledOperator", op.getClass().getSimpleName());
                assertEquals(5, drain(op));
            }
        }
        StringBuilder text = new StringBuilder();
        ProfiledPlan.append(text, plan, profile, 0);
        String[] lines = text.toString().split("\n");
        assertEquals(2, lines.length, text::toString);
        String counts = " \\(actual rows=5 batches=1 time=\\d+\\.\\d{3} ms self=\\d+\\.\\d{3} ms\\)";
        assertTrue(lines[0].matches("\\Q" + plan.describe() + "\\E" + counts), lines[0]);
        assertTrue(lines[1].matches("  -> \\Q" + plan.inputs().get(0).describe() + "\\E" + counts), lines[1]);
        assertEquals(profile.of(plan).nanos(), ProfiledPlan.inclusiveNanos(plan, profile));
        assertTrue(profile.of(plan).nanos() >= profile.of(plan.inputs().get(0)).nanos());
    }

    @Test
    void nodeNeverRunIsMarked() {
        PlanNode plan = sortOverValues(3);
        StringBuilder text = new StringBuilder();
        ProfiledPlan.append(text, plan, new QueryProfile(), 1);
        assertTrue(text.toString().startsWith("  -> " + plan.describe() + " (never executed)\n"), text::toString);
    }
}
