package dev.duet.planner;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.catalog.CatalogSchema;
import dev.duet.planner.catalog.DuetTable;
import dev.duet.planner.convert.LogicalOptimizer;
import dev.duet.planner.convert.OutputNames;
import dev.duet.planner.convert.StatementConverter;
import dev.duet.planner.ddl.DdlTranslator;
import dev.duet.planner.parse.ParsedStatement;
import dev.duet.planner.parse.SourceText;
import dev.duet.planner.parse.SqlCopy;
import dev.duet.planner.parse.SqlExplainStatement;
import dev.duet.planner.parse.StatementParser;
import dev.duet.planner.types.TypeMapping;
import dev.duet.planner.validate.NodeError;
import dev.duet.planner.validate.ValidationErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSetOption;
import org.apache.calcite.sql.babel.postgres.SqlBegin;
import org.apache.calcite.sql.babel.postgres.SqlCommit;
import org.apache.calcite.sql.babel.postgres.SqlDiscard;
import org.apache.calcite.sql.babel.postgres.SqlRollback;
import org.apache.calcite.sql.babel.postgres.SqlShow;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Duet's SQL front end: SQL text → parsed statements → statements validated against one
 * {@link Catalog} version and, for queries and DML, converted to optimized logical plans.
 * Physical planning, routing and execution are the caller's.
 *
 * <p>A script is parsed whole first (a syntax error anywhere rejects all of it, as PostgreSQL
 * does), then each statement is planned against the catalog the statements before it left:
 * {@code for (ParsedStatement s : frontEnd.parse(sql)) { engine.run(frontEnd.plan(s, catalog)); }}.
 *
 * <p>Errors are {@link DuetException}s with SQLSTATE; those with a location in the text are
 * {@link PositionedException}s. Thread-safe: the instance holds only immutable configuration.
 */
public final class SqlFrontEnd {
    private final StatementParser parser;
    private final CatalogSchema.RowCounts rowCounts;

    public SqlFrontEnd() {
        this(CatalogSchema.RowCounts.UNKNOWN);
    }

    /** @param rowCounts row count estimates that guide join ordering */
    public SqlFrontEnd(CatalogSchema.RowCounts rowCounts) {
        this.parser = new StatementParser();
        this.rowCounts = Objects.requireNonNull(rowCounts, "rowCounts is null");
    }

    /** Parses a script of zero or more statements; 42601 on a syntax error. */
    public List<ParsedStatement> parse(String sql) {
        return parser.parse(sql);
    }

    /** Parses and plans every statement of {@code sql} against the same catalog. */
    public List<PlannedStatement> planAll(String sql, Catalog catalog) {
        List<PlannedStatement> out = new ArrayList<>();
        for (ParsedStatement s : parse(sql)) {
            out.add(plan(s, catalog));
        }
        return out;
    }

    /**
     * Parses and plans {@code sql}, which must hold exactly one statement (a prepared statement);
     * 42601 otherwise.
     */
    public PlannedStatement planSingle(String sql, Catalog catalog) {
        List<ParsedStatement> statements = parse(sql);
        if (statements.size() != 1) {
            throw new DuetException(SqlState.SYNTAX_ERROR, statements.isEmpty()
                    ? "empty statement" : "cannot insert multiple commands into a prepared statement");
        }
        return plan(statements.get(0), catalog);
    }

    /** Validates and plans one parsed statement against {@code catalog}. Plan a parsed statement once. */
    public PlannedStatement plan(ParsedStatement statement, Catalog catalog) {
        Objects.requireNonNull(statement, "statement is null");
        Objects.requireNonNull(catalog, "catalog is null");
        StatementConverter converter = new StatementConverter(CatalogSchema.root(catalog, rowCounts));
        try {
            if (statement.node() instanceof SqlCopy copy) {
                String sql = statement.sql();
                return CopyTranslator.translate(copy, sql, catalog, q -> planQuery(q, sql, converter));
            }
            return plan(statement.node(), statement.source(), converter);
        } catch (RuntimeException e) {
            throw ValidationErrors.translate(e, statement.source());
        }
    }

    private PlannedStatement plan(SqlNode node, SourceText source, StatementConverter converter) {
        String sql = source.text();
        if (node instanceof SqlExplainStatement explain) {
            return new PlannedExplain(plan(explain.statement(), source, converter), explain.analyze(), sql);
        }
        if (node.getKind().belongsTo(SqlKind.QUERY)) {
            return planQuery(node, sql, converter);
        }
        switch (node.getKind()) {
            case INSERT, UPDATE, DELETE:
                return planDml(node, sql, converter);
            case EXPLAIN:
                return new PlannedExplain(plan(((SqlExplain) node).getExplicandum(), source, converter), false, sql);
            default:
                break;
        }
        if (DdlTranslator.handles(node)) {
            return DdlTranslator.translate(node, source, converter, q -> planQuery(q, sql, converter));
        }
        UtilityStatement.Type utility = utilityType(node);
        if (utility != null) {
            return new UtilityStatement(utility, node, sql);
        }
        throw new DuetException(SqlState.FEATURE_NOT_SUPPORTED,
                "statement not supported: " + node.getKind().lowerName.replace('_', ' '));
    }

    private static UtilityStatement.Type utilityType(SqlNode node) {
        if (node instanceof SqlBegin) {
            return UtilityStatement.Type.BEGIN;
        }
        if (node instanceof SqlCommit) {
            return UtilityStatement.Type.COMMIT;
        }
        if (node instanceof SqlRollback) {
            return UtilityStatement.Type.ROLLBACK;
        }
        if (node instanceof SqlShow) {
            return UtilityStatement.Type.SHOW;
        }
        if (node instanceof SqlDiscard) {
            return UtilityStatement.Type.DISCARD;
        }
        if (node instanceof SqlSetOption) {
            return UtilityStatement.Type.SET;
        }
        return null;
    }

    private static PlannedQuery planQuery(SqlNode node, String sql, StatementConverter converter) {
        List<String> early = OutputNames.beforeValidation(node);
        StatementConverter.Converted converted = converter.convert(node);
        RelRoot root = converted.root();
        List<String> names = OutputNames.of(root.validatedRowType, converted.validated(), early);
        RelNode plan = LogicalOptimizer.optimize(root.project(), converter.relBuilder());
        List<OutputColumn> columns = new ArrayList<>();
        List<RelDataTypeField> fields = plan.getRowType().getFieldList();
        for (int i = 0; i < fields.size(); i++) {
            RelDataType type = fields.get(i).getType();
            columns.add(new OutputColumn(names.get(i), TypeMapping.toDataType(type), type.isNullable()));
        }
        return new PlannedQuery(plan, columns, parameterTypes(converter, converted.validated()), sql);
    }

    private static PlannedDml planDml(SqlNode node, String sql, StatementConverter converter) {
        StatementConverter.Converted converted = converter.convert(node);
        RelNode plan = LogicalOptimizer.optimize(converted.root().rel, converter.relBuilder());
        TableModify modify = (TableModify) plan;
        TableDef table = StatementConverter.unwrap(modify.getTable(), DuetTable.class).tableDef();
        PlannedDml.Operation op = switch (modify.getOperation()) {
            case INSERT -> PlannedDml.Operation.INSERT;
            case UPDATE -> PlannedDml.Operation.UPDATE;
            case DELETE -> PlannedDml.Operation.DELETE;
            default -> throw new DuetException(SqlState.FEATURE_NOT_SUPPORTED,
                    modify.getOperation() + " is not supported");
        };
        for (RelDataTypeField f : modify.getInput().getRowType().getFieldList()) {
            TypeMapping.toDataType(f.getType());
        }
        return new PlannedDml(op, table, plan, parameterTypes(converter, converted.validated()), sql);
    }

    /**
     * The types of the statement's parameters by index: {@code ?} are numbered in order,
     * {@code $n} is parameter n wherever and however often it appears.
     */
    private static List<DataType> parameterTypes(StatementConverter converter, SqlNode validated) {
        SortedMap<Integer, RelDataType> byIndex = new TreeMap<>();
        validated.accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlDynamicParam param) {
                RelDataType t = converter.validator().getValidatedNodeTypeIfKnown(param);
                RelDataType seen = byIndex.get(param.getIndex());
                if (seen != null && t != null) {
                    // $1 used as text and as varchar(20) is text; as integer and as date, an error
                    boolean sameFamily = SqlTypeUtil.isCharacter(seen) && SqlTypeUtil.isCharacter(t)
                            || SqlTypeUtil.isNumeric(seen) && SqlTypeUtil.isNumeric(t)
                            || SqlTypeUtil.equalSansNullability(converter.typeFactory(), seen, t);
                    t = sameFamily ? converter.typeFactory().leastRestrictive(List.of(seen, t)) : null;
                    if (t == null) {
                        throw new NodeError(SqlState.DATATYPE_MISMATCH, "inconsistent types deduced for parameter $"
                                + (param.getIndex() + 1), param.getParserPosition());
                    }
                }
                byIndex.put(param.getIndex(), t == null ? seen : t);
                return null;
            }
        });
        List<DataType> types = new ArrayList<>();
        int count = byIndex.isEmpty() ? 0 : byIndex.lastKey() + 1;
        for (int i = 0; i < count; i++) {
            RelDataType t = byIndex.get(i);
            DataType d = t == null || t.getSqlTypeName() == SqlTypeName.NULL ? null : TypeMapping.toDataTypeOrNull(t);
            if (d == null) {
                throw new DuetException(SqlState.DATATYPE_MISMATCH,
                        "could not determine data type of parameter $" + (i + 1));
            }
            types.add(d);
        }
        return types;
    }
}
