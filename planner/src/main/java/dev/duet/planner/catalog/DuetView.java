package dev.duet.planner.catalog;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.planner.types.TypeMapping;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A view as Calcite sees it: a table whose row type is the view's stored columns and which turns
 * into the plan of its query text wherever it is used ({@link #toRel}: the converter's view
 * expander parses, validates and converts the text against the same catalog version). If the
 * query no longer has the stored columns' count and types (a relation it reads was replaced), the
 * use fails with 0A000 rather than return different columns.
 */
public final class DuetView extends AbstractTable implements TranslatableTable {
    private final ViewDef view;

    public DuetView(ViewDef view) {
        this.view = Objects.requireNonNull(view, "view is null");
    }

    public ViewDef viewDef() {
        return view;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (ColumnDef c : view.columns()) {
            b.add(c.name(), TypeMapping.toRelDataType(typeFactory, c.type(), !c.notNull()));
        }
        return b.build();
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        RelDataType rowType = relOptTable.getRowType();
        RelRoot root = context.expandView(rowType, view.query(), List.of(view.schema()), List.of(view.schema(), view.name()));
        RelNode rel = root.project();
        List<RelDataTypeField> got = rel.getRowType().getFieldList();
        List<RelDataTypeField> want = rowType.getFieldList();
        boolean same = got.size() == want.size();
        for (int i = 0; same && i < got.size(); i++) {
            same = Objects.equals(TypeMapping.toDataTypeOrNull(got.get(i).getType()),
                    TypeMapping.toDataTypeOrNull(want.get(i).getType()));
        }
        if (!same) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "view \"%s\" no longer matches its definition: its query now returns %s; recreate the view",
                    view.name(), rel.getRowType().getFullTypeString());
        }
        return RelOptUtil.createCastRel(rel, rowType, true);
    }

    @Override
    public String toString() {
        return "DuetView(" + view.qualifiedName() + ")";
    }
}
