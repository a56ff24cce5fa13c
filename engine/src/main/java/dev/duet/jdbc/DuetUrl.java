package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.SqlState;
import dev.duet.engine.DuetConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A parsed connection URL with its options.
 *
 * <pre>
 *   jdbc:duet:mem:            a new private in-memory database, gone when the connection closes
 *   jdbc:duet:mem:NAME        an in-memory database shared by every connection to NAME in this JVM
 *   jdbc:duet:DIR             the database in directory DIR (created on first use)
 *   ...?durability=async&amp;memory_limit=512MB&amp;threads=4&amp;read_only=true
 * </pre>
 *
 * <p>Options come from the URL (after {@code ?}, separated by {@code &} or {@code ;}) and from the
 * connection {@link Properties} (the URL wins). {@code durability} ({@code fsync}, the default, or
 * {@code async}) and {@code memory_limit} (bytes per query, with an optional {@code KB}/{@code MB}/
 * {@code GB} suffix) and {@code threads} (the default of {@code duet.threads} and the size of the
 * worker pool) configure the database and take effect when it is opened; {@code read_only}
 * makes the connection read-only. An unknown option in the URL is an error (22023); unknown
 * properties are ignored (tools pass {@code user}, {@code password} and others).
 */
record DuetUrl(String url, Kind kind, String name, Path directory, Map<String, String> databaseOptions,
        boolean readOnly) {
    static final String PREFIX = "jdbc:duet:";
    private static final String MEMORY = "mem:";

    /** What the URL names. */
    enum Kind { PRIVATE_MEMORY, SHARED_MEMORY, DIRECTORY }

    static final String DURABILITY = "durability";
    static final String MEMORY_LIMIT = "memory_limit";
    static final String READ_ONLY = "read_only";
    static final String THREADS = "threads";

    static boolean accepts(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    static DuetUrl parse(String url, Properties info) throws SQLException {
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        String target = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> options = new LinkedHashMap<>();
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                String k = key.toLowerCase(Locale.ROOT);
                if (k.equals(DURABILITY) || k.equals(MEMORY_LIMIT) || k.equals(READ_ONLY) || k.equals(THREADS)) {
                    options.put(k, info.getProperty(key));
                }
            }
        }
        if (q >= 0) {
            for (String pair : rest.substring(q + 1).split("[&;]")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                if (!key.equals(DURABILITY) && !key.equals(MEMORY_LIMIT) && !key.equals(READ_ONLY) && !key.equals(THREADS)) {
                    throw error(SqlState.INVALID_PARAMETER_VALUE,
                            "unknown connection option \"%s\" in %s (known: durability, memory_limit, read_only, threads)",
                            key, url);
                }
                options.put(key, eq < 0 ? "" : pair.substring(eq + 1).strip());
            }
        }
        boolean readOnly = false;
        String ro = options.remove(READ_ONLY);
        if (ro != null) {
            readOnly = parseBoolean(READ_ONLY, ro);
        }
        config(DuetConfig.defaults(), options); // validates the values now, before anything opens
        if (target.startsWith(MEMORY)) {
            String name = target.substring(MEMORY.length());
            return new DuetUrl(url, name.isEmpty() ? Kind.PRIVATE_MEMORY : Kind.SHARED_MEMORY, name, null,
                    Map.copyOf(options), readOnly);
        }
        if (target.isEmpty()) {
            throw error(SqlState.INVALID_PARAMETER_VALUE,
                    "the URL %s names no database: use jdbc:duet:mem: or jdbc:duet:<directory>", url);
        }
        Path dir;
        try {
            dir = Path.of(target).toAbsolutePath().normalize();
            if (Files.exists(dir)) {
                dir = dir.toRealPath(); // two spellings of one directory must share one database
            }
        } catch (InvalidPathException | IOException e) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "invalid database directory \"%s\": %s", target, e.getMessage());
        }
        return new DuetUrl(url, Kind.DIRECTORY, dir.toString(), dir, Map.copyOf(options), readOnly);
    }

    /** The key under which connections share the database: one per directory or memory name. */
    String registryKey() {
        return kind == Kind.DIRECTORY ? "dir:" + name : "mem:" + name;
    }

    /** The database settings: the defaults with this URL's options applied. */
    DuetConfig config() throws SQLException {
        return config(DuetConfig.defaults(), databaseOptions);
    }

    private static DuetConfig config(DuetConfig base, Map<String, String> options) throws SQLException {
        DuetConfig config = base;
        for (Map.Entry<String, String> e : options.entrySet()) {
            String value = e.getValue().strip();
            switch (e.getKey()) {
                case DURABILITY -> {
                    DuetConfig.Durability d = switch (value.toLowerCase(Locale.ROOT)) {
                        case "fsync" -> DuetConfig.Durability.FSYNC;
                        case "async" -> DuetConfig.Durability.ASYNC;
                        default -> throw error(SqlState.INVALID_PARAMETER_VALUE,
                                "durability must be fsync or async, not \"%s\"", value);
                    };
                    config = config.withDurability(d);
                }
                case MEMORY_LIMIT -> config = config.withQueryMemoryLimit(parseBytes(value));
                case THREADS -> config = config.withThreads(parseThreads(value));
                default -> throw new IllegalStateException("unexpected option " + e.getKey());
            }
        }
        return config;
    }

    /**
     * Whether an open database was opened with settings that agree with this URL's explicit
     * options (an option this URL does not give agrees with anything).
     */
    boolean agreesWith(DuetConfig open) throws SQLException {
        return config(open, databaseOptions).equals(open);
    }

    private static boolean parseBoolean(String key, String value) throws SQLException {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1", "" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw error(SqlState.INVALID_PARAMETER_VALUE, "%s must be true or false, not \"%s\"", key, value);
        };
    }

    private static long parseBytes(String value) throws SQLException {
        String v = value.toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        for (String[] suffix : new String[][] {{"KB", "10"}, {"MB", "20"}, {"GB", "30"}, {"K", "10"}, {"M", "20"},
                {"G", "30"}, {"B", "0"}}) {
            if (v.endsWith(suffix[0])) {
                unit = 1L << Integer.parseInt(suffix[1]);
                v = v.substring(0, v.length() - suffix[0].length());
                break;
            }
        }
        try {
            long n = Math.multiplyExact(Long.parseLong(v), unit);
            if (n <= 0) {
                throw new NumberFormatException("not positive");
            }
            return n;
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(SqlState.INVALID_PARAMETER_VALUE,
                    "memory_limit must be a positive number of bytes (optionally KB, MB or GB), not \"%s\"", value);
        }
    }

    private static int parseThreads(String value) throws SQLException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= DuetConfig.MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(SqlState.INVALID_PARAMETER_VALUE, "threads must be a number from 1 to %d, not \"%s\"",
                DuetConfig.MAX_THREADS, value);
    }

    /** The options for {@link java.sql.Driver#getPropertyInfo}. */
    static DriverPropertyInfo[] propertyInfo(Properties info) {
        DriverPropertyInfo durability = new DriverPropertyInfo(DURABILITY, info == null ? null : info.getProperty(DURABILITY));
        durability.choices = new String[] {"fsync", "async"};
        durability.description = "fsync: a commit returns once it is on disk (default); async: the log is written within ~10 ms";
        DriverPropertyInfo memory = new DriverPropertyInfo(MEMORY_LIMIT, info == null ? null : info.getProperty(MEMORY_LIMIT));
        memory.description = "the most memory one query may use, in bytes (KB, MB, GB suffixes allowed)";
        DriverPropertyInfo readOnly = new DriverPropertyInfo(READ_ONLY, info == null ? null : info.getProperty(READ_ONLY));
        readOnly.choices = new String[] {"false", "true"};
        readOnly.description = "open the connection read-only";
        DriverPropertyInfo threads = new DriverPropertyInfo(THREADS, info == null ? null : info.getProperty(THREADS));
        threads.description = "the most threads one query runs on by default (duet.threads), and the worker pool's size";
        return new DriverPropertyInfo[] {durability, memory, readOnly, threads};
    }
}
