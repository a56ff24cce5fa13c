package dev.duet.planner.convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

/**
 * The column names a client sees, as PostgreSQL derives them: an unaliased column keeps its
 * name, a function call is named after the function ({@code count}, {@code sum}), a cast after
 * its operand, a CASE {@code case}, VALUES columns {@code column1, column2, ...}, anything else
 * {@code ?column?}. Duplicates stay duplicates. Calcite's own names ({@code EXPR$0}, and
 * {@code a0} for a second {@code a}) serve only inside the plan.
 */
public final class OutputNames {
    private static final Pattern GENERATED = Pattern.compile("EXPR\\$\\d+");

    private OutputNames() {
    }

    /**
     * The names of a parsed, not yet validated query's select list, or null if it has a
     * {@code *} (validation expands it) or no select list. Validation rewrites expressions
     * ({@code COALESCE} into {@code CASE}, ...), so the names are taken before it.
     */
    public static List<String> beforeValidation(SqlNode node) {
        SqlNode query = body(node);
        if (!(query instanceof SqlSelect select) || select.getSelectList() == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier id && id.isStar()) {
                return null;
            }
            out.add(itemName(item));
        }
        return out;
    }

    /**
     * Names for the fields of {@code validatedRowType}, the type of the validated {@code node};
     * {@code early} are the names {@link #beforeValidation} found, or null.
     */
    public static List<String> of(RelDataType validatedRowType, SqlNode node, List<String> early) {
        List<String> calcite = validatedRowType.getFieldNames();
        if (early != null && early.size() == calcite.size()) {
            return early;
        }
        SqlNode query = body(node);
        if (query instanceof SqlSelect select && select.getSelectList().size() == calcite.size()) {
            List<String> out = new ArrayList<>();
            for (SqlNode item : select.getSelectList()) {
                out.add(itemName(item));
            }
            return out;
        }
        List<String> out = new ArrayList<>();
        boolean values = query != null && query.getKind() == SqlKind.VALUES;
        for (int i = 0; i < calcite.size(); i++) {
            String n = calcite.get(i);
            out.add(GENERATED.matcher(n).matches() ? (values ? "column" + (i + 1) : "?column?") : n);
        }
        return out;
    }

    /** The query whose select list names the result: through ORDER BY, WITH and set operations. */
    private static SqlNode body(SqlNode node) {
        SqlNode n = node;
        while (true) {
            if (n instanceof SqlOrderBy orderBy) {
                n = orderBy.query;
            } else if (n instanceof SqlWith with) {
                n = with.body;
            } else if (n != null && n.getKind().belongsTo(SqlKind.SET_QUERY)) {
                n = ((SqlCall) n).operand(0);
            } else {
                return n;
            }
        }
    }

    private static String itemName(SqlNode item) {
        if (item.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) item;
            String alias = ((SqlIdentifier) as.operand(1)).getSimple();
            return GENERATED.matcher(alias).matches() ? expressionName(as.operand(0)) : alias;
        }
        return expressionName(item);
    }

    private static String expressionName(SqlNode e) {
        if (e instanceof SqlIdentifier id) {
            return id.isStar() ? "?column?" : id.names.get(id.names.size() - 1);
        }
        if (e instanceof SqlBasicCall call) {
            if (call.getKind() == SqlKind.CAST && call.operandCount() > 0) {
                return expressionName(call.operand(0));
            }
            if (call.getKind() == SqlKind.CASE) {
                return "case";
            }
            if (call.getKind() == SqlKind.OVER && call.operandCount() > 0) {
                return expressionName(call.operand(0));
            }
            if (call.getOperator() instanceof SqlFunction f) {
                return f.getName().toLowerCase(Locale.ROOT);
            }
        }
        if (e instanceof SqlCall call && call.getKind() == SqlKind.CASE) {
            return "case";
        }
        if (e instanceof SqlNodeList) {
            return "?column?";
        }
        return "?column?";
    }
}
