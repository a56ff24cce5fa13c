package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.Values;
import dev.duet.planner.exec.join.ValuesOperator;
import dev.duet.planner.exec.join.ValuesSpec;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.StringJoiner;

/** Constant rows, run by {@link ValuesOperator}. */
public final class ValuesNode implements PlanNode {
    private final ValuesSpec spec;

    /** @param rows canonical values of the columns' types, one list per row */
    public ValuesNode(List<BatchColumn> columns, List<List<Object>> rows) {
        this.spec = new ValuesSpec(columns, rows);
    }

    @Override
    public List<BatchColumn> columns() {
        return spec.columns();
    }

    /** The rows, canonical values of the columns' types. */
    public List<List<Object>> rows() {
        return spec.rows();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of();
    }

    @Override
    public String describe() {
        StringJoiner tuples = new StringJoiner(", ", "Values(", ")");
        for (List<Object> row : spec.rows()) {
            StringJoiner t = new StringJoiner(", ", "(", ")");
            for (int c = 0; c < row.size(); c++) {
                t.add(Values.toSqlLiteral(spec.columns().get(c).type(), row.get(c)));
            }
            tuples.add(t.toString());
        }
        return tuples.toString();
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        return new ValuesOperator(context, spec);
    }
}
