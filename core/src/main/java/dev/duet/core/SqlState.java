package dev.duet.core;

/**
 * Every SQLSTATE Duet reports, in one place. Codes follow PostgreSQL's table so that PostgreSQL
 * drivers and tools interpret them correctly. Each constant notes an example that raises it.
 */
public enum SqlState {
    /** {@code SELEC 1} */
    SYNTAX_ERROR("42601"),
    /** {@code SELECT * FROM missing_table} */
    UNDEFINED_TABLE("42P01"),
    /** {@code SELECT missing_column FROM t} */
    UNDEFINED_COLUMN("42703"),
    /** {@code CREATE SCHEMA s} when {@code s} exists */
    DUPLICATE_SCHEMA("42P06"),
    /** {@code CREATE TABLE t (...)} when {@code t} exists */
    DUPLICATE_TABLE("42P07"),
    /** {@code CREATE TABLE t (a INT, a INT)} */
    DUPLICATE_COLUMN("42701"),
    /** {@code CREATE TABLE s.t (...)} when schema {@code s} does not exist */
    INVALID_SCHEMA_NAME("3F000"),
    /** {@code CREATE TABLE t (a INT, PRIMARY KEY (b))} */
    INVALID_TABLE_DEFINITION("42P16"),
    /** A value of the wrong type for a column, e.g. a string into an INTEGER column. */
    DATATYPE_MISMATCH("42804"),
    /** {@code DROP SCHEMA s} while it still holds tables */
    DEPENDENT_OBJECTS_STILL_EXIST("2BP01"),
    /** An unknown type name or other undefined object. */
    UNDEFINED_OBJECT("42704"),
    /** {@code SELECT no_such_function(1)} */
    UNDEFINED_FUNCTION("42883"),
    /** {@code SELECT id FROM a JOIN b ON ...} when both have {@code id} */
    AMBIGUOUS_COLUMN("42702"),
    /** {@code SELECT a, count(*) FROM t} without {@code GROUP BY a} */
    GROUPING_ERROR("42803"),
    /** A parameter whose type cannot be inferred, e.g. {@code SELECT $1}. */
    INDETERMINATE_DATATYPE("42P18"),
    /** A scalar subquery that returned more than one row. */
    CARDINALITY_VIOLATION("21000"),
    /** {@code interval '3 fortnights'}, a malformed date/time text. */
    INVALID_DATETIME_FORMAT("22007"),
    /** Inserting a key that already exists. */
    UNIQUE_VIOLATION("23505"),
    /** NULL into a NOT NULL column. */
    NOT_NULL_VIOLATION("23502"),
    /** {@code 'abcdef'} into VARCHAR(3). */
    STRING_DATA_RIGHT_TRUNCATION("22001"),
    /** 40000 into SMALLINT; a decimal with too many digits. */
    NUMERIC_VALUE_OUT_OF_RANGE("22003"),
    /** {@code 1 / 0} */
    DIVISION_BY_ZERO("22012"),
    /** A date or timestamp outside the supported range. */
    DATETIME_FIELD_OVERFLOW("22008"),
    /** A string that is not valid Unicode (e.g. an unpaired UTF-16 surrogate). */
    CHARACTER_NOT_IN_REPERTOIRE("22021"),
    /** {@code CAST('abc' AS INTEGER)} */
    INVALID_TEXT_REPRESENTATION("22P02"),
    /** {@code NULL} where a non-null value is required by an API, e.g. a key column. */
    NULL_VALUE_NOT_ALLOWED("22004"),
    /** A parameter value out of its allowed domain, e.g. a negative LIMIT. */
    INVALID_PARAMETER_VALUE("22023"),
    /** {@code SELECT * FROM t LIMIT -1} */
    INVALID_ROW_COUNT_IN_LIMIT_CLAUSE("2201W"),
    /** {@code SELECT * FROM t OFFSET -1} */
    INVALID_ROW_COUNT_IN_RESULT_OFFSET_CLAUSE("2201X"),
    /** A write-write conflict: another transaction committed a change to the same row first. */
    SERIALIZATION_FAILURE("40001"),
    /** Using a transaction that was already committed or rolled back. */
    INVALID_TRANSACTION_STATE("25000"),
    /** Writing inside a read-only transaction. */
    READ_ONLY_SQL_TRANSACTION("25006"),
    /** A statement inside a transaction that already failed. */
    IN_FAILED_SQL_TRANSACTION("25P02"),
    /** Something that cannot be done inside a transaction, e.g. changing the session's read-only mode. */
    ACTIVE_SQL_TRANSACTION("25001"),
    /** SET of a parameter whose value is fixed, e.g. {@code SET server_version = ...}. */
    CANT_CHANGE_RUNTIME_PARAM("55P02"),
    /** A database directory already opened by another process. */
    OBJECT_IN_USE("55006"),
    /** Using a database or connection after it was closed. */
    CONNECTION_DOES_NOT_EXIST("08003"),
    /** A query exceeded its memory limit. */
    OUT_OF_MEMORY("53200"),
    /** The disk is full. */
    DISK_FULL("53100"),
    /** A statement was cancelled or timed out. */
    QUERY_CANCELED("57014"),
    /** A statement executed without a value for one of its parameters (or with too many). */
    WRONG_PARAMETER_COUNT("07001"),
    /** A numeric value out of range for its type in a function argument (e.g. a bad substring length). */
    SUBSTRING_ERROR("22011"),
    /** An invalid escape sequence (e.g. in a LIKE pattern). */
    INVALID_ESCAPE_SEQUENCE("22025"),
    /** A view that reads itself, e.g. after {@code CREATE OR REPLACE VIEW v AS SELECT * FROM v}. */
    INVALID_OBJECT_DEFINITION("42P17"),
    /** {@code Statement.executeQuery} of a statement that returns no rows (JDBC). */
    NO_DATA("02000"),
    /**
     * {@code Statement.executeUpdate} of a statement that returns rows (JDBC; the code PostgreSQL's
     * JDBC driver reports).
     */
    TOO_MANY_RESULTS("0100E"),
    /** Reading a JDBC result set before its first or after its last row. */
    INVALID_CURSOR_STATE("24000"),
    /** Using a closed JDBC statement or result set; opening a database again with other settings. */
    OBJECT_NOT_IN_PREREQUISITE_STATE("55000"),
    /** A feature Duet does not implement yet. */
    FEATURE_NOT_SUPPORTED("0A000"),
    /** An I/O error reading or writing database files. */
    IO_ERROR("58030"),
    /** {@code COPY t FROM 'missing.parquet'}: a file named by the user does not exist. */
    UNDEFINED_FILE("58P01"),
    /** Writing a file that exists when the caller asked not to overwrite it. */
    DUPLICATE_FILE("58P02"),
    /** {@code COPY t FROM 'notes.txt' (FORMAT parquet)}: the file is not in the format named. */
    BAD_COPY_FILE_FORMAT("22P04"),
    /** Damaged database files (e.g. a corrupt record in the middle of the WAL). */
    DATA_CORRUPTED("XX001"),
    /** A broken internal invariant: always a Duet bug. */
    INTERNAL_ERROR("XX000");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    /** The five-character SQLSTATE code. */
    public String code() {
        return code;
    }
}
