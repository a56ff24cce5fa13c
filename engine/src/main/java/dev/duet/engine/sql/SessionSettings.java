package dev.duet.engine.sql;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.engine.DuetConfig;
import dev.duet.planner.exec.parallel.Parallelism;
import dev.duet.planner.exec.route.RouteMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A session's run-time parameters, as {@code SET}, {@code SHOW} and {@code RESET} see them.
 * Three change how statements run: {@code statement_timeout} (milliseconds, or with a unit:
 * {@code '5s'}), {@code duet.memory_limit} (bytes, or with a unit: {@code '64MB'}) and
 * {@code duet.route} ({@code auto}, {@code row} or {@code column}: the store table scans read,
 * see {@link RouteMode}), {@code duet.threads} (how many threads one query's scans and
 * aggregations split across: 1 runs today's serial plans; the default is the database's
 * {@code DuetConfig.threads()}) and {@code duet.morsel_rows} (rows per morsel of an in-memory
 * column segment in a parallel scan; mainly for tests, which make many morsels of little data).
 * The others
 * are the ones PostgreSQL clients set or read when they connect; Duet accepts the values that
 * describe how it works anyway (UTF8, ISO dates, standard strings) and keeps the rest (such as
 * {@code application_name}) for {@code SHOW}. Unknown names fail with 42704. Used by its
 * session's thread only.
 */
final class SessionSettings {
    private static final String TIMEOUT = "statement_timeout";
    private static final String MEMORY = "duet.memory_limit";
    private static final String ROUTE = "duet.route";
    private static final String THREADS = "duet.threads";
    private static final String MORSEL_ROWS = "duet.morsel_rows";

    /** Parameters that only read: their fixed values. */
    private static final Map<String, String> FIXED = Map.of(
            "server_version", "16.0 (Duet)",
            "server_version_num", "160000",
            "server_encoding", "UTF8",
            "integer_datetimes", "on",
            "transaction_isolation", "repeatable read",
            "max_identifier_length", "63",
            "is_superuser", "on");

    private final long defaultMemoryLimit;
    private final int defaultThreads;
    private int threads;
    private int morselRows = Parallelism.DEFAULT_MORSEL_ROWS;
    private Duration statementTimeout = Duration.ZERO;
    private long memoryLimit;
    private RouteMode route = RouteMode.AUTO;
    /** The other settable parameters, by lower-case name; defaults from {@link #defaults()}. */
    private final Map<String, String> values = defaults();

    SessionSettings(long defaultMemoryLimit, int defaultThreads) {
        this.defaultMemoryLimit = defaultMemoryLimit;
        this.memoryLimit = defaultMemoryLimit;
        this.defaultThreads = defaultThreads;
        this.threads = defaultThreads;
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("application_name", "");
        m.put("client_encoding", "UTF8");
        m.put("datestyle", "ISO, MDY");
        m.put("intervalstyle", "postgres");
        m.put("timezone", "UTC");
        m.put("search_path", "\"$user\", public");
        m.put("extra_float_digits", "1");
        m.put("standard_conforming_strings", "on");
        m.put("client_min_messages", "notice");
        m.put("default_transaction_isolation", "repeatable read");
        return m;
    }

    Duration statementTimeout() {
        return statementTimeout;
    }

    void setStatementTimeout(Duration timeout) {
        statementTimeout = Objects.requireNonNull(timeout, "timeout is null");
    }

    long memoryLimit() {
        return memoryLimit;
    }

    /** {@code duet.route}: which store table scans read. */
    RouteMode route() {
        return route;
    }

    /** {@code duet.threads}: the most threads one query runs on (1: serial plans). */
    int threads() {
        return threads;
    }

    /** {@code duet.morsel_rows}: rows per morsel of an in-memory column segment. */
    int morselRows() {
        return morselRows;
    }

    /** {@code SET name = value}; {@code value} is the text of the value (a literal or a word). */
    void set(String name, String value) {
        String n = normalize(name);
        switch (n) {
            case TIMEOUT -> statementTimeout = parseDuration(value);
            case MEMORY -> memoryLimit = parseBytes(value);
            case ROUTE -> route = RouteMode.parse(value);
            case THREADS -> threads = parseInt(n, value, 1, DuetConfig.MAX_THREADS);
            case MORSEL_ROWS -> morselRows = parseInt(n, value, 1, Integer.MAX_VALUE);
            case "client_encoding" -> values.put(n, oneOf(n, value, "UTF8", "UTF8", "UTF-8", "UNICODE"));
            case "standard_conforming_strings" -> values.put(n, oneOf(n, value, "on", "on", "true", "1"));
            case "datestyle" -> {
                String v = value.toUpperCase(Locale.ROOT).replace(" ", "");
                if (!v.startsWith("ISO")) {
                    throw invalid(n, value);
                }
                values.put(n, "ISO, MDY");
            }
            case "intervalstyle" -> values.put(n, oneOf(n, value, "postgres", "postgres"));
            case "timezone" -> {
                try {
                    ZoneId.of(value.trim());
                } catch (DateTimeException e) {
                    throw invalid(n, value);
                }
                values.put(n, value.trim());
            }
            case "extra_float_digits" -> {
                try {
                    int d = Integer.parseInt(value.trim());
                    if (d < -15 || d > 3) {
                        throw invalid(n, value);
                    }
                } catch (NumberFormatException e) {
                    throw invalid(n, value);
                }
                values.put(n, value.trim());
            }
            default -> {
                if (FIXED.containsKey(n)) {
                    throw DuetException.of(SqlState.CANT_CHANGE_RUNTIME_PARAM,
                            "parameter \"%s\" cannot be changed", n);
                }
                if (!values.containsKey(n)) {
                    throw unknown(n);
                }
                values.put(n, value);
            }
        }
    }

    /** {@code RESET name}. */
    void reset(String name) {
        String n = normalize(name);
        switch (n) {
            case TIMEOUT -> statementTimeout = Duration.ZERO;
            case MEMORY -> memoryLimit = defaultMemoryLimit;
            case ROUTE -> route = RouteMode.AUTO;
            case THREADS -> threads = defaultThreads;
            case MORSEL_ROWS -> morselRows = Parallelism.DEFAULT_MORSEL_ROWS;
            default -> {
                if (FIXED.containsKey(n)) {
                    throw DuetException.of(SqlState.CANT_CHANGE_RUNTIME_PARAM, "parameter \"%s\" cannot be changed", n);
                }
                String d = defaults().get(n);
                if (d == null) {
                    throw unknown(n);
                }
                values.put(n, d);
            }
        }
    }

    /** {@code RESET ALL}. */
    void resetAll() {
        statementTimeout = Duration.ZERO;
        memoryLimit = defaultMemoryLimit;
        route = RouteMode.AUTO;
        threads = defaultThreads;
        morselRows = Parallelism.DEFAULT_MORSEL_ROWS;
        values.clear();
        values.putAll(defaults());
    }

    /** {@code SHOW name}: the value as PostgreSQL prints it. */
    String show(String name) {
        String n = normalize(name);
        return switch (n) {
            case TIMEOUT -> formatDuration(statementTimeout);
            case MEMORY -> formatBytes(memoryLimit);
            case ROUTE -> route.setting();
            case THREADS -> Integer.toString(threads);
            case MORSEL_ROWS -> Integer.toString(morselRows);
            default -> {
                String v = FIXED.containsKey(n) ? FIXED.get(n) : values.get(n);
                if (v == null) {
                    throw unknown(n);
                }
                yield v;
            }
        };
    }

    /** {@code SHOW ALL}: every parameter and its value, by name. */
    List<String[]> all() {
        Map<String, String> all = new java.util.TreeMap<>(values);
        all.putAll(FIXED);
        all.put(TIMEOUT, formatDuration(statementTimeout));
        all.put(MEMORY, formatBytes(memoryLimit));
        all.put(ROUTE, route.setting());
        all.put(THREADS, Integer.toString(threads));
        all.put(MORSEL_ROWS, Integer.toString(morselRows));
        return all.entrySet().stream().map(e -> new String[] {e.getKey(), e.getValue()}).toList();
    }

    /** Lower case; {@code TIME ZONE} (SET TIME ZONE's spelling) is {@code timezone}. */
    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("time zone") ? "timezone" : n;
    }

    /** An integer setting between {@code min} and {@code max}. */
    private static int parseInt(String name, String value, int min, int max) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < min || v > max) {
                throw invalid(name, value);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw invalid(name, value);
        }
    }

    private static String oneOf(String name, String value, String canonical, String... accepted) {
        for (String a : accepted) {
            if (a.equalsIgnoreCase(value.trim())) {
                return canonical;
            }
        }
        throw invalid(name, value);
    }

    /** PostgreSQL's time units: a bare number is milliseconds. */
    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || (i == 0 && v.charAt(i) == '-'))) {
            i++;
        }
        long amount;
        try {
            amount = Long.parseLong(v.substring(0, i));
        } catch (NumberFormatException e) {
            throw invalid(TIMEOUT, value);
        }
        if (amount < 0) {
            throw invalid(TIMEOUT, value);
        }
        String unit = v.substring(i).trim();
        long millis = switch (unit) {
            case "", "ms" -> 1;
            case "s" -> 1_000;
            case "min" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> throw invalid(TIMEOUT, value);
        };
        try {
            return Duration.ofMillis(Math.multiplyExact(amount, millis));
        } catch (ArithmeticException e) {
            throw invalid(TIMEOUT, value);
        }
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** A byte count: a bare number is bytes; units kB, MB, GB, TB (powers of 1024, as PostgreSQL). */
    static long parseBytes(String value) {
        String v = value.trim();
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        long amount;
        try {
            amount = Long.parseLong(v.substring(0, i));
        } catch (NumberFormatException e) {
            throw invalid(MEMORY, value);
        }
        int shift = switch (v.substring(i).trim().toUpperCase(Locale.ROOT)) {
            case "", "B" -> 0;
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> throw invalid(MEMORY, value);
        };
        if (amount <= 0 || amount > (Long.MAX_VALUE >> shift)) {
            throw invalid(MEMORY, value);
        }
        return amount << shift;
    }

    static String formatBytes(long bytes) {
        String[] units = {"TB", "GB", "MB", "kB"};
        int[] shifts = {40, 30, 20, 10};
        for (int u = 0; u < units.length; u++) {
            long unit = 1L << shifts[u];
            if (bytes % unit == 0) {
                return bytes / unit + units[u];
            }
        }
        return bytes + "B";
    }

    private static DuetException invalid(String name, String value) {
        return DuetException.of(SqlState.INVALID_PARAMETER_VALUE, "invalid value for parameter \"%s\": \"%s\"", name, value);
    }

    private static DuetException unknown(String name) {
        return DuetException.of(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"%s\"", name);
    }
}
