package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * The output columns of a set operation: the first input's names; for each column the type the
 * inputs share (a VARCHAR as long as the longest, a DECIMAL as precise as the most precise — the
 * values are stored alike), nullable if any input's column is. Inputs whose columns are of
 * different kinds are the planner's mistake (it casts them to one type first).
 */
public final class SetOperationColumns {
    private SetOperationColumns() {
    }

    static List<BatchColumn> of(String operation, List<Operator> inputs) {
        return ofColumns(operation, inputs.stream().map(Operator::columns).toList());
    }

    /** The output columns of {@code operation} over inputs with these columns (a plan node's, before it runs). */
    public static List<BatchColumn> ofColumns(String operation, List<List<BatchColumn>> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(operation + " needs at least one input");
        }
        List<BatchColumn> first = inputs.get(0);
        List<BatchColumn> out = new ArrayList<>(first);
        for (int k = 1; k < inputs.size(); k++) {
            List<BatchColumn> other = inputs.get(k);
            if (other.size() != out.size()) {
                throw new IllegalArgumentException(operation + " input " + (k + 1) + " has " + other.size()
                        + " columns, the first input " + out.size());
            }
            for (int c = 0; c < out.size(); c++) {
                BatchColumn a = out.get(c);
                BatchColumn b = other.get(c);
                out.set(c, new BatchColumn(a.name(), common(operation, k, c, a.type(), b.type()), a.nullable() || b.nullable()));
            }
        }
        return List.copyOf(out);
    }

    private static DataType common(String operation, int input, int column, DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.kind() == b.kind()) {
            switch (a.kind()) {
                case VARCHAR -> {
                    if (a.length() == DataType.UNBOUNDED || b.length() == DataType.UNBOUNDED) {
                        return DataType.TEXT;
                    }
                    return DataType.varchar(Math.max(a.length(), b.length()));
                }
                case DECIMAL -> {
                    if (a.scale() == b.scale()) {
                        return DataType.decimal(Math.max(a.precision(), b.precision()), a.scale());
                    }
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException(operation + " column " + (column + 1) + " is " + a + " in the first input and "
                + b + " in input " + (input + 1) + ": the planner must cast them to one type");
    }
}
