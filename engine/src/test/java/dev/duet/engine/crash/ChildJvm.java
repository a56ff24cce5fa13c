package dev.duet.engine.crash;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A {@link CrashWorker} running in a child JVM with the test's classpath and the JVM flags Chronicle
 * Map needs. Its stdout is read continuously (so the child never blocks on a full pipe) and split
 * into complete lines; a last line without a newline — cut by the kill — is kept apart and never
 * parsed. Stderr goes to a file, shown when something fails.
 */
final class ChildJvm implements AutoCloseable {
    /** From shared/DEPENDENCIES.md; IgnoreUnrecognizedVMOptions covers JDK-24-only flags. */
    static final List<String> JVM_FLAGS = List.of(
            "-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dchronicle.analytics.disable=true");

    private final Process process;
    private final Path stderrFile;
    private final Thread reader;
    /** Guards lines, partialTail, eof; notified on every new line and at EOF. */
    private final Object lock = new Object();
    private final List<String> lines = new ArrayList<>();
    private String partialTail = "";
    private boolean eof;

    private ChildJvm(Process process, Path stderrFile) {
        this.process = process;
        this.stderrFile = stderrFile;
        this.reader = new Thread(this::readStdout, "child-stdout-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code CrashWorker args...}; stderr goes to {@code stderrFile}. */
    static ChildJvm start(Path stderrFile, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(JVM_FLAGS);
        // Small heap and serial GC: the machine may have only two cores, shared with the parent.
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        // C1 only: Chronicle Map compiles code at startup, and that is what a short-lived child spends its time on.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(CrashWorker.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(false);
        pb.redirectError(stderrFile.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return new ChildJvm(pb.start(), stderrFile);
    }

    private static String snapshotClasspath;

    /**
     * The test's classpath, with the project's own entries (class directories, {@code dev.duet}
     * jars) copied once per JVM to a private directory: other builds in the same tree may rewrite
     * {@code target/classes} or reinstall jars while a child starts, which would fail the child
     * with NoClassDefFoundError for reasons that have nothing to do with the database.
     */
    static synchronized String classpath() throws IOException {
        if (snapshotClasspath != null) {
            return snapshotClasspath;
        }
        Path root = Files.createTempDirectory("duet-crash-cp");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            boolean own = Files.isDirectory(p) || p.toString().contains("/dev/duet/");
            if (!own || !Files.exists(p)) {
                entries.add(entry);
                continue;
            }
            Path copy = root.resolve(i++ + "-" + p.getFileName());
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path src : (Iterable<Path>) walk::iterator) {
                        Path dst = copy.resolve(p.relativize(src).toString());
                        if (Files.isDirectory(src)) {
                            Files.createDirectories(dst);
                        } else {
                            Files.copy(src, dst);
                        }
                    }
                }
            } else {
                Files.copy(p, copy);
            }
            entries.add(copy.toString());
        }
        snapshotClasspath = String.join(File.pathSeparator, entries);
        return snapshotClasspath;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory at JVM exit only costs space
        }
    }

    long pid() {
        return process.pid();
    }

    private void readStdout() {
        byte[] buf = new byte[8192];
        StringBuilder current = new StringBuilder();
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                List<String> complete = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    char c = (char) (buf[i] & 0xff);
                    if (c == '\n') {
                        complete.add(current.toString());
                        current.setLength(0);
                    } else {
                        current.append(c);
                    }
                }
                synchronized (lock) {
                    lines.addAll(complete);
                    partialTail = current.toString();
                    lock.notifyAll();
                }
            }
        } catch (IOException e) {
            // The pipe breaks only when the child is gone; what was read is all there is.
            synchronized (lock) {
                lines.add("#stdout read failed: " + e);
            }
        } finally {
            synchronized (lock) {
                eof = true;
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until {@code count} complete lines satisfy {@code p}. Returns false if the child's
     * stdout ended first; throws {@link AssertionError} with the child's stderr on timeout.
     */
    boolean awaitLines(Predicate<String> p, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        int scanned = 0;
        synchronized (lock) {
            while (true) {
                for (; scanned < lines.size(); scanned++) {
                    if (p.test(lines.get(scanned)) && ++seen >= count) {
                        return true;
                    }
                }
                if (eof) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("child " + pid() + " did not print " + count + " expected lines within "
                            + timeout + " (" + lines.size() + " lines so far)\n" + stderrTail());
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** Number of complete lines read so far. */
    int lineCount() {
        synchronized (lock) {
            return lines.size();
        }
    }

    /** Waits for the first complete line at index {@code from} or later that satisfies {@code p}. */
    boolean awaitLineAfter(int from, Predicate<String> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scanned = from;
        synchronized (lock) {
            while (true) {
                for (; scanned < lines.size(); scanned++) {
                    if (p.test(lines.get(scanned))) {
                        return true;
                    }
                }
                if (eof) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
        }
    }

    /** Sends SIGKILL with {@code kill -9 <pid>} and waits for the child to die; asserts it died of the signal. */
    void kill9() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        String killOut = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kill.waitFor(30, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new AssertionError("kill -9 " + process.pid() + " did not finish in 30 s");
        }
        if (kill.exitValue() != 0) {
            throw new AssertionError("kill -9 " + process.pid() + " failed (" + kill.exitValue() + "): " + killOut
                    + "; child exit status " + (process.isAlive() ? "alive" : process.exitValue()) + "\n" + stderrTail());
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " still alive 60 s after kill -9");
        }
        if (process.exitValue() != 128 + 9) {
            throw new AssertionError("child " + process.pid() + " exited with " + process.exitValue()
                    + ", not by SIGKILL (137)\n" + stderrTail());
        }
    }

    /**
     * The usual crash round of a worker that prints {@code ACK <id>} after each acknowledged
     * commit (and {@code ERROR ...} on failure): waits for {@code minAcks} acknowledgements,
     * lets it run up to {@code maxDelayMillis} more, kills it with {@code kill -9} and returns
     * every id it acknowledged. Fails the test if it ended early or reported an error.
     */
    Set<Long> ackedUntilKilled(int minAcks, int maxDelayMillis, Random random, String round)
            throws IOException, InterruptedException {
        if (!awaitLines(l -> l.startsWith("ACK "), minAcks, Duration.ofSeconds(120))) {
            throw new AssertionError("worker of round " + round + " ended early: " + drain() + "\n" + stderrTail());
        }
        Thread.sleep(random.nextInt(maxDelayMillis));
        kill9();
        Set<Long> acked = new HashSet<>();
        for (String line : drain()) {
            if (line.startsWith("ERROR")) {
                throw new AssertionError("worker of round " + round + " failed: " + line + "\n" + stderrTail());
            }
            if (line.startsWith("ACK ")) {
                acked.add(Long.parseLong(line.substring(4).trim()));
            }
        }
        return acked;
    }

    /** Waits until stdout is fully read (after the child died) and returns every complete line. */
    List<String> drain() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(60));
        if (reader.isAlive()) {
            throw new AssertionError("stdout of child " + process.pid() + " not closed 60 s after it died");
        }
        synchronized (lock) {
            return List.copyOf(lines);
        }
    }

    /** The bytes after the last newline when stdout ended: a line cut by the kill. */
    String partialTail() {
        synchronized (lock) {
            return partialTail;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stderrTail() {
        try {
            if (!Files.exists(stderrFile)) {
                return "(no stderr)";
            }
            String s = Files.readString(stderrFile, StandardCharsets.UTF_8);
            return "--- child stderr (" + stderrFile + ") ---\n" + (s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s);
        } catch (IOException e) {
            return "(cannot read " + stderrFile + ": " + e + ")";
        }
    }

    /** Makes sure no child outlives a failed test (SIGKILL as well). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
