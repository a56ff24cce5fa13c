package dev.duet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Prints the planning time of TPC-H q1 and q9, cold and warm, measured by {@link PlanningTimes}
 * in a fresh JVM (so that "cold" is really the first plan). No timing assertions: performance is
 * measured, not asserted; the output is in the test's report ({@code *-output.txt}).
 */
class PlanningTimeTest {
    @Test
    void printPlanningTimes() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PlanningTimes.class.getName(), "1", "9")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.MINUTES);
        for (String line : out.split("\n")) {
            if (!line.startsWith("SLF4J")) {
                System.out.println(line);
            }
        }
        System.out.println("(machine load average: " + loadAverage() + ")");
        assertEquals(0, p.exitValue(), out);
    }

    private static String loadAverage() {
        try {
            return List.of(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3).toString();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
