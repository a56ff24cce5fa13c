package dev.duet.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.Main;

/**
 * Runs JMH without forks in a new JVM that has Duet's flags ({@link DuetBenchmark}'s
 * {@code @Fork} flags, which a run without forks does not apply) and the given JVM options: for
 * benchmarks whose trials share state loaded once per JVM, such as {@link TpchBenchmark}'s
 * TPC-H databases.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.UnforkedRun [JVM options] -- [JMH options]</pre>
 *
 * e.g. {@code UnforkedRun -Xmx12g -- TpchBenchmark -p sf=1 -rf json -rff tpch.json}. {@code -f 0}
 * is added to the JMH options (and must not be given); JMH's lock against concurrent runs is
 * still taken unless a JVM option says {@code -Djmh.ignoreLock=true}. Exits with JMH's status.
 */
public final class UnforkedRun {
    private UnforkedRun() {
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator < 0) {
            System.err.println("usage: UnforkedRun [JVM options] -- [JMH options]");
            System.exit(2);
        }
        List<String> jvm = List.of(args).subList(0, separator);
        List<String> jmh = new ArrayList<>(List.of(args).subList(separator + 1, args.length));
        if (jmh.contains("-f")) {
            System.err.println("UnforkedRun runs JMH without forks: leave out -f");
            System.exit(2);
        }
        jmh.addAll(List.of("-f", "0"));
        List<String> command = DuetBenchmark.childCommand(jvm, Main.class, jmh.toArray(String[]::new));
        System.exit(new ProcessBuilder(command).inheritIO().start().waitFor());
    }
}
