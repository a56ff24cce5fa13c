package dev.duet.planner.ddl;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.planner.OutputColumn;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.convert.StatementConverter;
import dev.duet.planner.parse.SourceText;
import dev.duet.planner.parse.SqlCreateIndex;
import dev.duet.planner.parse.SqlDropIndex;
import dev.duet.planner.types.TypeMapping;
import dev.duet.planner.validate.NodeError;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.ColumnStrategy;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.ddl.SqlColumnDeclaration;
import org.apache.calcite.sql.ddl.SqlCreateTable;
import org.apache.calcite.sql.ddl.SqlCreateView;
import org.apache.calcite.sql.ddl.SqlDropTable;
import org.apache.calcite.sql.ddl.SqlDropView;
import org.apache.calcite.sql.ddl.SqlKeyConstraint;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.BitString;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.TimestampString;

/**
 * Turns parsed DDL into {@link DdlStatement}s: names resolved to schema and object, column
 * types mapped to Duet types (0A000 for types Duet lacks, 42704 for unknown names), constant
 * defaults coerced to the column type. Whether objects exist is not checked here.
 */
public final class DdlTranslator {
    private DdlTranslator() {
    }

    /** True if {@code node} is DDL this translator handles. */
    public static boolean handles(SqlNode node) {
        return node instanceof SqlCreateTable || node instanceof SqlCreateView
                || node instanceof SqlDropTable || node instanceof SqlDropView
                || node instanceof SqlCreateIndex || node instanceof SqlDropIndex;
    }

    /**
     * Translates {@code node}. {@code planQuery} plans the query of CREATE TABLE AS and CREATE
     * VIEW against the same catalog.
     */
    public static DdlStatement translate(SqlNode node, SourceText source, StatementConverter converter,
            Function<SqlNode, PlannedQuery> planQuery) {
        String sql = source.text();
        if (node instanceof SqlCreateTable create) {
            return createTable(create, sql, converter, planQuery);
        }
        if (node instanceof SqlCreateView view) {
            // the text is taken before planning: validation rewrites the tree in place
            String queryText = view.query.toSqlString(c -> c.withDialect(PostgresqlSqlDialect.DEFAULT)).getSql();
            PlannedQuery query = planQuery.apply(view.query);
            if (view.columnList != null) {
                query = renamed(query, view.columnList);
            }
            return new CreateView(qualified(view.name), view.getReplace(), query, queryText, sql);
        }
        if (node instanceof SqlDropTable drop) {
            return new DropTable(qualified(drop.name), drop.ifExists, sql);
        }
        if (node instanceof SqlDropView drop) {
            return new DropView(qualified(drop.name), drop.ifExists, sql);
        }
        if (node instanceof SqlCreateIndex index) {
            if (index.getReplace()) {
                throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED, "CREATE OR REPLACE INDEX is not supported",
                        index.getParserPosition());
            }
            List<String> columns = new ArrayList<>();
            for (SqlNode c : index.columns) {
                columns.add(((SqlIdentifier) c).getSimple());
            }
            return new CreateIndex(index.name.getSimple(), qualified(index.table), columns, index.unique,
                    index.ifNotExists, sql);
        }
        if (node instanceof SqlDropIndex drop) {
            return new DropIndex(qualified(drop.name), drop.ifExists, sql);
        }
        throw new DuetException(SqlState.FEATURE_NOT_SUPPORTED, "statement not supported: " + node.getKind());
    }

    /** {@code query} with its columns named by a CREATE VIEW column list. */
    private static PlannedQuery renamed(PlannedQuery query, SqlNodeList names) {
        if (names.size() != query.columns().size()) {
            throw new NodeError(SqlState.SYNTAX_ERROR, "CREATE VIEW specifies " + names.size()
                    + " column names but the query has " + query.columns().size() + " columns",
                    names.getParserPosition());
        }
        List<OutputColumn> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            OutputColumn c = query.columns().get(i);
            columns.add(new OutputColumn(((SqlIdentifier) names.get(i)).getSimple(), c.type(), c.nullable()));
        }
        return new PlannedQuery(query.plan(), columns, query.parameterTypes(), query.sql());
    }

    private static CreateTable createTable(SqlCreateTable create, String sql, StatementConverter converter,
            Function<SqlNode, PlannedQuery> planQuery) {
        if (create.getReplace()) {
            throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED, "CREATE OR REPLACE TABLE is not supported",
                    create.getParserPosition());
        }
        QualifiedName name = qualified(create.name);
        List<ColumnDef> columns = new ArrayList<>();
        List<String> key = new ArrayList<>();
        if (create.columnList != null) {
            for (SqlNode element : create.columnList) {
                if (element instanceof SqlColumnDeclaration column) {
                    columns.add(column(column, converter));
                } else if (element instanceof SqlKeyConstraint constraint
                        && constraint.getOperator().getKind() == SqlKind.PRIMARY_KEY) {
                    if (!key.isEmpty()) {
                        throw new NodeError(SqlState.INVALID_TABLE_DEFINITION,
                                "multiple primary keys for table \"" + name.name() + "\" are not allowed",
                                element.getParserPosition());
                    }
                    for (SqlNode k : (Iterable<SqlNode>) constraint.getOperandList().get(1)) {
                        key.add(((SqlIdentifier) k).getSimple());
                    }
                } else if (element instanceof SqlKeyConstraint constraint) {
                    throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                            "UNIQUE constraints are not supported yet; create a unique index", element.getParserPosition());
                } else if (element instanceof SqlIdentifier) {
                    throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                            "CREATE TABLE column without a type is not supported", element.getParserPosition());
                } else {
                    throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                            "table element not supported: " + element, element.getParserPosition());
                }
            }
        }
        PlannedQuery query = null;
        if (create.query != null) {
            if (!columns.isEmpty()) {
                throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                        "CREATE TABLE with both columns and AS query is not supported", create.getParserPosition());
            }
            query = planQuery.apply(create.query);
            query.columns().forEach(c -> columns.add(ColumnDef.of(c.name(), c.type())));
        }
        CreateTable result = new CreateTable(name, columns, key, create.ifNotExists, query, sql);
        result.tableDef(); // duplicate columns, unknown key columns: fail now, with the statement
        return result;
    }

    private static ColumnDef column(SqlColumnDeclaration column, StatementConverter converter) {
        String name = column.name.getSimple();
        RelDataType relType;
        try {
            relType = converter.deriveType(column.dataType);
        } catch (CalciteContextException e) {
            throw new NodeError(SqlState.UNDEFINED_OBJECT,
                    "type \"" + column.dataType.getTypeName() + "\" does not exist", column.dataType.getParserPosition());
        }
        DataType type = TypeMapping.toDataTypeOrNull(relType);
        if (type == null || relType.getSqlTypeName() == SqlTypeName.NULL) {
            throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                    "type " + TypeMapping.describe(relType) + " is not supported", column.dataType.getParserPosition());
        }
        boolean notNull = column.strategy == ColumnStrategy.NOT_NULLABLE;
        if (column.strategy == ColumnStrategy.VIRTUAL || column.strategy == ColumnStrategy.STORED) {
            throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED, "generated columns are not supported",
                    column.getParserPosition());
        }
        Object defaultValue = column.expression == null ? null : constant(column.expression, type, name);
        return new ColumnDef(name, type, notNull || Boolean.FALSE.equals(column.dataType.getNullable()),
                defaultValue);
    }

    /** The value of a constant default expression: a literal, possibly negated. */
    private static Object constant(SqlNode expression, DataType type, String column) {
        SqlNode e = expression;
        boolean negate = false;
        if (e instanceof SqlBasicCall call && call.getKind() == SqlKind.MINUS_PREFIX) {
            negate = true;
            e = call.operand(0);
        }
        if (!(e instanceof SqlLiteral literal)) {
            throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED, "a column default must be a constant",
                    expression.getParserPosition());
        }
        Object value;
        switch (literal.getTypeName()) {
            case NULL -> value = null;
            case BOOLEAN -> value = literal.booleanValue();
            case DECIMAL, DOUBLE, REAL, FLOAT, INTEGER, BIGINT, SMALLINT, TINYINT -> {
                BigDecimal d = literal.getValueAs(BigDecimal.class);
                value = negate ? d.negate() : d;
                negate = false;
            }
            case CHAR -> value = fromString(literal.getValueAs(NlsString.class).getValue(), type, expression);
            case DATE -> value = LocalDate.parse(literal.getValueAs(DateString.class).toString());
            case TIMESTAMP -> value = LocalDateTime.parse(
                    literal.getValueAs(TimestampString.class).toString().replace(' ', 'T'));
            case BINARY -> value = literal.getValueAs(BitString.class).getAsByteArray();
            default -> throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                    "default of type " + literal.getTypeName() + " is not supported", expression.getParserPosition());
        }
        if (negate) {
            throw new NodeError(SqlState.DATATYPE_MISMATCH, "cannot negate a non-numeric default",
                    expression.getParserPosition());
        }
        if (value instanceof BigDecimal d && (type.kind() == DataType.Kind.REAL || type.kind() == DataType.Kind.DOUBLE)) {
            value = d.doubleValue();
        }
        try {
            return Values.coerce(type, value, column);
        } catch (DuetException ex) {
            throw new NodeError(ex.state(), ex.getMessage(), expression.getParserPosition());
        }
    }

    /** A string default for a non-string column, parsed as PostgreSQL casts an untyped literal. */
    private static Object fromString(String s, DataType type, SqlNode at) {
        try {
            return switch (type.kind()) {
                case VARCHAR -> s;
                case DATE -> LocalDate.parse(s.trim());
                case TIMESTAMP -> LocalDateTime.parse(s.trim().replace(' ', 'T'));
                case BOOLEAN -> switch (s.trim().toLowerCase(Locale.ROOT)) {
                    case "true", "t", "yes", "y", "on", "1" -> Boolean.TRUE;
                    case "false", "f", "no", "n", "off", "0" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(s);
                };
                case SMALLINT, INTEGER, BIGINT, DECIMAL, REAL, DOUBLE -> new BigDecimal(s.trim());
                case BYTEA -> s.getBytes(StandardCharsets.UTF_8);
            };
        } catch (RuntimeException e) {
            throw new NodeError(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type " + type + ": \"" + s + "\"", at.getParserPosition());
        }
    }

    /** {@code t} → public.t, {@code s.t} → s.t; more parts → 42601. */
    public static QualifiedName qualified(SqlIdentifier id) {
        return switch (id.names.size()) {
            case 1 -> new QualifiedName(Catalog.DEFAULT_SCHEMA, id.getSimple());
            case 2 -> new QualifiedName(id.names.get(0), id.names.get(1));
            default -> throw new NodeError(SqlState.SYNTAX_ERROR,
                    "improper qualified name (too many dotted names): " + id, id.getParserPosition());
        };
    }
}
