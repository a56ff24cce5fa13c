package dev.duet.planner.validate;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.planner.parse.SourceText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.runtime.Resources;
import org.apache.calcite.sql.parser.SqlParserPos;

import static org.apache.calcite.util.Static.RESOURCE;

/**
 * Turns Calcite's validation errors into {@link DuetException}s with PostgreSQL's SQLSTATE and
 * wording, located in the submitted text. Calcite's exceptions carry only a message, so each
 * one is recognised by matching the message against Calcite's own message template (built from
 * {@code Static.RESOURCE}, so a reworded template in a later Calcite still matches).
 *
 * <p>An operator applied to types it does not accept ({@code name = 1}) is 42804, as the project's
 * error list asks; PostgreSQL itself says 42883 there.
 */
public final class ValidationErrors {
    private static final char A = '\u0001';
    private static final char B = '\u0002';
    private static final char C = '\u0003';
    private static final String SA = String.valueOf(A);
    private static final String SB = String.valueOf(B);
    private static final String SC = String.valueOf(C);

    private record Rule(Pattern pattern, SqlState state, Function<Matcher, String> message) {
    }

    private static final List<Rule> RULES = new ArrayList<>();

    private static final Pattern FUNCTION_CALL = Pattern.compile("operator does not exist: (\\w+\\(.*\\))");

    static {
        rule(RESOURCE.objectNotFound(SA), SqlState.UNDEFINED_TABLE, m -> relation(m.group(1)));
        rule(RESOURCE.objectNotFoundDidYouMean(SA, SB), SqlState.UNDEFINED_TABLE, m -> relation(m.group(1)));
        rule(RESOURCE.objectNotFoundWithin(SA, SB), SqlState.UNDEFINED_TABLE,
                m -> relation(qualified(m.group(2), m.group(1))));
        rule(RESOURCE.objectNotFoundWithinDidYouMean(SA, SB, SC), SqlState.UNDEFINED_TABLE,
                m -> relation(qualified(m.group(2), m.group(1))));
        rule(RESOURCE.tableNameNotFound(SA), SqlState.UNDEFINED_TABLE,
                m -> "missing FROM-clause entry for table \"" + m.group(1) + "\"");
        rule(RESOURCE.tableNameNotFoundDidYouMean(SA, SB), SqlState.UNDEFINED_TABLE,
                m -> "missing FROM-clause entry for table \"" + m.group(1) + "\"");
        rule(RESOURCE.schemaNotFound(SA), SqlState.INVALID_SCHEMA_NAME,
                m -> "schema \"" + m.group(1) + "\" does not exist");

        rule(RESOURCE.columnNotFound(SA), SqlState.UNDEFINED_COLUMN, m -> column(m.group(1)));
        rule(RESOURCE.columnNotFoundDidYouMean(SA, SB), SqlState.UNDEFINED_COLUMN, m -> column(m.group(1)));
        rule(RESOURCE.columnNotFoundInTable(SA, SB), SqlState.UNDEFINED_COLUMN,
                m -> "column " + m.group(2) + "." + m.group(1) + " does not exist");
        rule(RESOURCE.columnNotFoundInTableDidYouMean(SA, SB, SC), SqlState.UNDEFINED_COLUMN,
                m -> "column " + m.group(2) + "." + m.group(1) + " does not exist");
        rule(RESOURCE.unknownIdentifier(SA), SqlState.UNDEFINED_COLUMN, m -> column(m.group(1)));
        rule(RESOURCE.unknownField(SA), SqlState.UNDEFINED_COLUMN, m -> column(m.group(1)));
        rule(RESOURCE.unknownTargetColumn(SA), SqlState.UNDEFINED_COLUMN, m -> column(m.group(1)));
        rule(RESOURCE.columnAmbiguous(SA), SqlState.AMBIGUOUS_COLUMN,
                m -> "column reference \"" + m.group(1) + "\" is ambiguous");

        rule(RESOURCE.validatorUnknownFunction(SA), SqlState.UNDEFINED_FUNCTION,
                m -> "function " + signature(m.group(1)) + " does not exist");
        rule(RESOURCE.functionNotFound(SA), SqlState.UNDEFINED_FUNCTION,
                m -> "function " + m.group(1) + " does not exist");
        rule(RESOURCE.unknownDatatypeName(SA), SqlState.UNDEFINED_OBJECT,
                m -> "type \"" + m.group(1) + "\" does not exist");
        rule(RESOURCE.typeNotFound(SA), SqlState.UNDEFINED_OBJECT,
                m -> "type \"" + m.group(1) + "\" does not exist");
        rule(RESOURCE.typeNotSupported(SA), SqlState.FEATURE_NOT_SUPPORTED,
                m -> "type " + m.group(1) + " is not supported");

        rule(RESOURCE.canNotApplyOp2Type(SA, SB, SC), SqlState.DATATYPE_MISMATCH,
                m -> "operator does not exist: " + signature(m.group(2)));
        rule(RESOURCE.typeNotComparable(SA, SB), SqlState.DATATYPE_MISMATCH,
                m -> "cannot compare " + type(m.group(1)) + " with " + type(m.group(2)));
        rule(RESOURCE.typeNotComparableNear(SA, SB), SqlState.DATATYPE_MISMATCH,
                m -> "cannot compare " + type(m.group(1)) + " with " + type(m.group(2)));
        rule(RESOURCE.typeNotAssignable(SA, SB, SC, "\u0004"), SqlState.DATATYPE_MISMATCH,
                m -> "column \"" + m.group(1) + "\" is of type " + type(m.group(2))
                        + " but expression is of type " + type(m.group(4)));
        simple(RESOURCE.incompatibleTypes(), SqlState.DATATYPE_MISMATCH);
        simple(RESOURCE.incompatibleTypesInList(), SqlState.DATATYPE_MISMATCH);
        simple(RESOURCE.illegalMixingOfTypes(), SqlState.DATATYPE_MISMATCH);
        rule(RESOURCE.incompatibleValueType(SA), SqlState.DATATYPE_MISMATCH, m -> lowerFirst(m.group(0)));
        rule(RESOURCE.cannotCastValue(SA, SB), SqlState.DATATYPE_MISMATCH,
                m -> "cannot cast type " + type(m.group(1)) + " to " + type(m.group(2)));

        rule(RESOURCE.columnNotNullable(SA), SqlState.NOT_NULL_VIOLATION,
                m -> "null value in column \"" + m.group(1) + "\" violates not-null constraint");
        rule(RESOURCE.notGroupExpr(SA), SqlState.GROUPING_ERROR,
                m -> "expression " + m.group(1) + " must appear in the GROUP BY clause or be used in an aggregate function");
    }

    private ValidationErrors() {
    }

    /** Translates an exception thrown while validating or converting {@code source}'s statement. */
    public static DuetException translate(RuntimeException e, SourceText source) {
        if (e instanceof DuetException d) {
            return d;
        }
        if (e instanceof NodeError n) {
            return at(source, n.state(), n.getMessage(), n.pos(), e);
        }
        if (e instanceof CalciteContextException c) {
            String detail = c.getCause() != null && c.getCause().getMessage() != null
                    ? c.getCause().getMessage() : c.getMessage();
            Translated t = translateMessage(detail);
            String message = t.message;
            if (t.state == SqlState.UNDEFINED_TABLE && message.startsWith("relation ")) {
                // Calcite names only the first unresolved part of s.t; PostgreSQL names all of it.
                String span = span(source, c);
                if (span.indexOf('.') > 0 && span.matches("[\\w.\"$]+")) {
                    message = relation(span.replace("\"", ""));
                }
            }
            return source.errorAt(t.state, message, c.getPosLine(), c.getPosColumn(), e);
        }
        if (e instanceof CalciteException) {
            Translated t = translateMessage(e.getMessage());
            return new DuetException(t.state, t.message, e);
        }
        if (e instanceof UnsupportedOperationException) {
            return new DuetException(SqlState.FEATURE_NOT_SUPPORTED,
                    "not supported: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        return new DuetException(SqlState.INTERNAL_ERROR, "internal error planning statement: " + e, e);
    }

    /** A positioned error at a node position within {@code source}'s statement. */
    public static DuetException at(SourceText source, SqlState state, String message, SqlParserPos pos,
            Throwable cause) {
        return source.errorAt(state, message, pos.getLineNum(), pos.getColumnNum(), cause);
    }

    /** The text of the statement between the exception's start and end position. */
    private static String span(SourceText source, CalciteContextException c) {
        if (c.getPosLine() <= 0 || c.getEndPosLine() <= 0) {
            return "";
        }
        int from = source.indexOf(c.getPosLine(), c.getPosColumn());
        int to = Math.min(source.end(), source.indexOf(c.getEndPosLine(), c.getEndPosColumn()) + 1);
        return from < to ? source.fullText().substring(from, to) : "";
    }

    private record Translated(SqlState state, String message) {
    }

    private static Translated translateMessage(String calciteMessage) {
        String m = calciteMessage == null ? "invalid statement" : calciteMessage;
        for (Rule r : RULES) {
            Matcher matcher = r.pattern.matcher(m);
            if (matcher.matches()) {
                String message = r.message.apply(matcher);
                Matcher call = FUNCTION_CALL.matcher(message);
                if (call.matches()) {
                    // Calcite reports a function's wrong argument types like an operator's
                    return new Translated(SqlState.UNDEFINED_FUNCTION, "function " + call.group(1) + " does not exist");
                }
                return new Translated(r.state, message);
            }
        }
        return new Translated(SqlState.SYNTAX_ERROR, lowerFirst(m));
    }

    private static void rule(Resources.Inst template, SqlState state, Function<Matcher, String> message) {
        String text = template.str();
        StringBuilder regex = new StringBuilder();
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= A && c <= '\u0004') {
                regex.append(Pattern.quote(text.substring(from, i))).append("(.*?)");
                from = i + 1;
            }
        }
        regex.append(Pattern.quote(text.substring(from)));
        RULES.add(new Rule(Pattern.compile(regex.toString(), Pattern.DOTALL), state, message));
    }

    private static void simple(Resources.Inst template, SqlState state) {
        rule(template, state, m -> lowerFirst(m.group(0)));
    }

    /** {@code schema.name}, or just {@code name} in the default schema, as PostgreSQL prints it. */
    private static String qualified(String schema, String name) {
        return Catalog.DEFAULT_SCHEMA.equals(schema) ? name : schema + "." + name;
    }

    private static String relation(String name) {
        return "relation \"" + name + "\" does not exist";
    }

    private static String column(String name) {
        return "column \"" + name + "\" does not exist";
    }

    /** {@code FOO(<NUMERIC>, <CHARACTER>)} → {@code foo(numeric, character)}. */
    private static String signature(String calciteSignature) {
        return calciteSignature.replace("<", "").replace(">", "").replace("'", "").toLowerCase(Locale.ROOT);
    }

    /** {@code VARCHAR(25) NOT NULL} → {@code varchar(25)}. */
    private static String type(String calciteType) {
        return calciteType.replace(" NOT NULL", "").toLowerCase(Locale.ROOT);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
