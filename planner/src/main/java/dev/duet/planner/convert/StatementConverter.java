package dev.duet.planner.convert;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.planner.parse.SourceText;
import dev.duet.planner.parse.StatementParser;
import dev.duet.planner.types.DuetTypeSystem;
import dev.duet.planner.types.TypeMapping;
import dev.duet.planner.validate.DuetOperatorTable;
import dev.duet.planner.validate.DuetTypeCoercion;
import dev.duet.planner.validate.PostgresSyntax;
import dev.duet.planner.validate.StrictComparisons;
import dev.duet.planner.validate.ValidationErrors;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.config.NullCollation;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;

/**
 * Validates one statement against one catalog version and converts it to Calcite's logical
 * algebra. Holds the per-statement Calcite state (type factory, validator, cluster); create one
 * per statement, use it from one thread.
 *
 * <p>Validation runs with LENIENT conformance (GROUP BY aliases and ordinals, LIMIT/OFFSET,
 * {@code !=}), implicit type coercion, and PostgreSQL's NULL ordering (NULLs sort as larger than
 * any value: last ascending, first descending), which conversion makes explicit in each sort
 * key. Sub-queries stay {@code RexSubQuery} expressions ("expand = false") for
 * {@link LogicalOptimizer} to decorrelate; IN lists never become joins with VALUES.
 */
public final class StatementConverter {
    /** Default schema for unqualified table names. */
    public static final List<String> DEFAULT_SCHEMA_PATH = List.of("public");

    private static final CalciteConnectionConfig CONNECTION_CONFIG = new CalciteConnectionConfigImpl(new Properties())
            .set(CalciteConnectionProperty.CASE_SENSITIVE, "true")
            .set(CalciteConnectionProperty.CONFORMANCE, SqlConformanceEnum.LENIENT.name());

    private static final SqlValidator.Config VALIDATOR_CONFIG = SqlValidator.Config.DEFAULT
            .withConformance(SqlConformanceEnum.LENIENT)
            .withIdentifierExpansion(true)
            .withTypeCoercionEnabled(true)
            .withTypeCoercionFactory(DuetTypeCoercion::new)
            .withDefaultNullCollation(NullCollation.HIGH);

    private static final SqlToRelConverter.Config CONVERTER_CONFIG = SqlToRelConverter.config()
            .withExpand(false)
            .withDecorrelationEnabled(false)
            .withTrimUnusedFields(false)
            .withInSubQueryThreshold(Integer.MAX_VALUE);

    /** Views nested deeper than this are taken for a cycle (a view replaced to read itself). */
    private static final int MAX_VIEW_DEPTH = 32;

    private final JavaTypeFactory typeFactory;
    private final CalciteCatalogReader catalogReader;
    /** Views being expanded, outermost first (one statement, one thread). */
    private final java.util.ArrayDeque<String> expanding = new java.util.ArrayDeque<>();
    private final SqlValidator validator;
    private final RelOptCluster cluster;

    public StatementConverter(CalciteSchema rootSchema) {
        this.typeFactory = new JavaTypeFactoryImpl(DuetTypeSystem.INSTANCE);
        this.catalogReader = new CalciteCatalogReader(rootSchema, DEFAULT_SCHEMA_PATH, typeFactory, CONNECTION_CONFIG);
        this.validator = SqlValidatorUtil.newValidator(DuetOperatorTable.INSTANCE, catalogReader, typeFactory,
                VALIDATOR_CONFIG);
        HepPlanner clusterPlanner = new HepPlanner(HepProgram.builder().build());
        // ReduceExpressionsRule folds constants only if the cluster's planner has an executor.
        clusterPlanner.setExecutor(ConstantFolding.INSTANCE);
        this.cluster = RelOptCluster.create(clusterPlanner, new RexBuilder(typeFactory));
        cluster.setMetadataQuerySupplier(DuetMetadataQuery::new);
    }

    /** A validated statement and its conversion. */
    public record Converted(SqlNode validated, RelRoot root) {
    }

    /** Validates {@code node} (rewriting it in place) and converts it to logical operators. */
    public Converted convert(SqlNode node) {
        SqlNode validated = validate(node);
        if (validated instanceof SqlInsert insert) {
            // Conversion casts an INSERT's VALUES to this type, folding the cast into a literal.
            validator.setValidatedNodeType(insert,
                    TypeMapping.assignmentRowType(typeFactory, validator.getValidatedNodeType(insert)));
        }
        SqlToRelConverter converter = new SqlToRelConverter(this::expandView, validator, catalogReader,
                cluster, StandardConvertletTable.INSTANCE, CONVERTER_CONFIG);
        return new Converted(validated, converter.convertQuery(validated, false, true));
    }

    /** Validates {@code node} (rewriting it in place) without converting it. */
    public SqlNode validate(SqlNode node) {
        PostgresSyntax.rewrite(node);
        SqlNode validated = validator.validate(node);
        StrictComparisons.check(validated, validator);
        return validated;
    }

    /** The Calcite type a column type name in DDL denotes (resolving PostgreSQL aliases). */
    public RelDataType deriveType(SqlDataTypeSpec spec) {
        return spec.deriveType(validator);
    }

    /** The types of the {@code ?} parameters of a validated statement, in order. */
    public RelDataType parameterRowType(SqlNode validated) {
        return validator.getParameterRowType(validated);
    }

    public SqlValidator validator() {
        return validator;
    }

    public JavaTypeFactory typeFactory() {
        return typeFactory;
    }

    public RelBuilder relBuilder() {
        return RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader);
    }

    /**
     * The plan of a view's query text, validated and converted against this statement's catalog
     * in its cluster (Calcite's view expander). Errors name the view: a relation it reads may
     * have been dropped since it was created.
     */
    private RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath) {
        String view = String.join(".", viewPath);
        if (expanding.size() >= MAX_VIEW_DEPTH || expanding.contains(view)) {
            throw new DuetException(SqlState.INVALID_OBJECT_DEFINITION, "infinite recursion detected in view \"" + view + "\"");
        }
        expanding.push(view);
        try {
            SqlNode node = new StatementParser().parse(queryString).get(0).node();
            SqlValidator viewValidator = SqlValidatorUtil.newValidator(DuetOperatorTable.INSTANCE, catalogReader,
                    typeFactory, VALIDATOR_CONFIG);
            PostgresSyntax.rewrite(node);
            SqlNode validated = viewValidator.validate(node);
            StrictComparisons.check(validated, viewValidator);
            SqlToRelConverter converter = new SqlToRelConverter(this::expandView, viewValidator, catalogReader,
                    cluster, StandardConvertletTable.INSTANCE, CONVERTER_CONFIG);
            return converter.convertQuery(validated, false, true);
        } catch (RuntimeException e) {
            DuetException d = ValidationErrors.translate(e, SourceText.of(queryString));
            throw new DuetException(d.state(), "view \"" + viewPath.get(viewPath.size() - 1) + "\": " + d.getMessage(), d);
        } finally {
            expanding.pop();
        }
    }

    /** The table behind a {@link RelOptTable}, for the executor. */
    public static <T> T unwrap(RelOptTable table, Class<T> type) {
        T t = table.unwrap(type);
        if (t == null) {
            throw new IllegalStateException("table " + table.getQualifiedName() + " is not a " + type.getSimpleName());
        }
        return t;
    }
}
