package dev.duet.planner.parse;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Parse tree of PostgreSQL's COPY: {@code COPY table [(columns)] FROM|TO target [WITH (options)]}
 * or {@code COPY (query) TO target [WITH (options)]}. The target is a string literal (a file) or
 * an identifier ({@code STDIN}, {@code STDOUT}); options alternate name and value (NULL for a
 * flag such as {@code HEADER}).
 */
public final class SqlCopy extends SqlCall {
    public static final SqlOperator OPERATOR = new SqlSpecialOperator("COPY", SqlKind.OTHER);

    public final SqlIdentifier table;
    public final SqlNodeList columns;
    public final SqlNode query;
    public final boolean to;
    public final SqlNode target;
    public final SqlNodeList options;

    public SqlCopy(SqlParserPos pos, SqlIdentifier table, SqlNodeList columns, SqlNode query, boolean to,
            SqlNode target, SqlNodeList options) {
        super(pos);
        if ((table == null) == (query == null)) {
            throw new IllegalArgumentException("COPY needs a table or a query");
        }
        this.table = table;
        this.columns = columns;
        this.query = query;
        this.to = to;
        this.target = Objects.requireNonNull(target, "target is null");
        this.options = Objects.requireNonNull(options, "options is null");
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return Arrays.asList(table, columns, query, target, options);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("COPY");
        if (table != null) {
            table.unparse(writer, 0, 0);
            if (columns != null) {
                columns.unparse(writer, 0, 0);
            }
        } else {
            SqlWriter.Frame frame = writer.startList("(", ")");
            query.unparse(writer, 0, 0);
            writer.endList(frame);
        }
        writer.keyword(to ? "TO" : "FROM");
        target.unparse(writer, 0, 0);
        if (!options.isEmpty()) {
            writer.keyword("WITH");
            SqlWriter.Frame frame = writer.startList("(", ")");
            for (int i = 0; i < options.size(); i += 2) {
                writer.sep(",");
                options.get(i).unparse(writer, 0, 0);
                if (options.get(i + 1) instanceof org.apache.calcite.sql.SqlLiteral l && l.getValue() == null) {
                    continue;
                }
                options.get(i + 1).unparse(writer, 0, 0);
            }
            writer.endList(frame);
        }
    }
}
