package dev.duet.jmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Fork;

/**
 * Base of every Duet benchmark: its {@link Fork} carries the JVM flags every Duet JVM needs
 * (Arrow and Chronicle Map add-opens, see shared/DEPENDENCIES.md; the G1 settings of bin/duet, see
 * docs/operations.md "JVM settings"), once for all benchmarks. JMH
 * merges {@code @Fork} annotations attribute by attribute from the method up through the class
 * hierarchy, so a subclass may set its own fork count and still inherit these flags.
 */
@Fork(jvmArgsAppend = {
        "-XX:+IgnoreUnrecognizedVMOptions",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true",
        "-XX:-G1UseAdaptiveIHOP",
        "-XX:InitiatingHeapOccupancyPercent=70"})
public abstract class DuetBenchmark {
    /** The flags above, for child JVMs a benchmark starts itself (e.g. to produce a crashed database). */
    static List<String> jvmFlags() {
        return List.of(DuetBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend());
    }

    /**
     * The command that runs {@code main} with {@code args} in a child JVM: this JVM's {@code java}
     * and class path, the flags above, then {@code jvmArgs}.
     */
    static List<String> childCommand(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
