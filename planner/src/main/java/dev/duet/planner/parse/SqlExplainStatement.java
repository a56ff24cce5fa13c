package dev.duet.planner.parse;

import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Parse tree of PostgreSQL's {@code EXPLAIN [ANALYZE] statement} (Calcite's own form is
 * {@code EXPLAIN PLAN FOR statement}, a {@link org.apache.calcite.sql.SqlExplain}).
 */
public final class SqlExplainStatement extends SqlCall {
    public static final SqlOperator OPERATOR = new SqlSpecialOperator("EXPLAIN", SqlKind.OTHER);

    private final SqlNode statement;
    private final boolean analyze;

    public SqlExplainStatement(SqlParserPos pos, SqlNode statement, boolean analyze) {
        super(pos);
        this.statement = Objects.requireNonNull(statement, "statement is null");
        this.analyze = analyze;
    }

    /** The statement to explain. */
    public SqlNode statement() {
        return statement;
    }

    /** True for EXPLAIN ANALYZE: run the statement and report what happened. */
    public boolean analyze() {
        return analyze;
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(statement);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword(analyze ? "EXPLAIN ANALYZE" : "EXPLAIN");
        statement.unparse(writer, 0, 0);
    }
}
