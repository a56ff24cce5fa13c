package dev.duet.engine.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Undoes the planner's casts of INSERT / UPDATE values to a {@code VARCHAR(n)} column type. Such
 * a cast truncates, as an explicit cast does, while an assignment must fail with 22001 when the
 * value is too long (PostgreSQL's rule); without the cast the full value reaches
 * {@link dev.duet.core.types.Values#coerce}, which checks the length. Only casts of character
 * values in the topmost projection of a DML input are removed: that projection computes the
 * assigned values. (A literal is already cut when the planner folds the cast into it; that case
 * remains, see docs/limitations.md.)
 */
final class AssignmentCasts {
    private AssignmentCasts() {
    }

    /** {@code input} with the truncating casts of its top projection removed (itself if there are none). */
    static RelNode unwrap(RelNode input) {
        if (!(input instanceof Project project)) {
            return input;
        }
        List<RexNode> exprs = new ArrayList<>(project.getProjects());
        boolean changed = false;
        for (int i = 0; i < exprs.size(); i++) {
            RexNode e = exprs.get(i);
            if (e.getKind() == SqlKind.CAST && e.getType().getSqlTypeName() == SqlTypeName.VARCHAR
                    && e.getType().getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED) {
                RexNode operand = ((RexCall) e).getOperands().get(0);
                if (SqlTypeUtil.isCharacter(operand.getType())) {
                    exprs.set(i, operand);
                    changed = true;
                }
            }
        }
        if (!changed) {
            return input;
        }
        List<String> names = project.getRowType().getFieldList().stream().map(RelDataTypeField::getName).toList();
        return project.copy(project.getTraitSet(), project.getInput(), exprs,
                project.getCluster().getTypeFactory().createStructType(
                        exprs.stream().map(RexNode::getType).toList(), names));
    }
}
