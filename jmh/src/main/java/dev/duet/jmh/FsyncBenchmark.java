package dev.duet.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's own fsync rate, the ceiling of one-at-a-time durable commits: write 4 KiB and
 * {@code FileChannel.force(false)} (fdatasync on Linux), in a loop, one thread.
 *
 * <ul>
 *   <li>{@code overwrite}: always at offset 0 of a preallocated 4 KiB file, so the force flushes
 *       one data block and no metadata.
 *   <li>{@code append}: at the end of a growing file (emptied at each iteration), which is what the
 *       WAL does: each force also has to persist the new file size.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class FsyncBenchmark extends DuetBenchmark {
    private static final int BLOCK = 4096;

    @Param({"overwrite", "append"})
    public String mode;

    private Path dir;
    private FileChannel channel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    private long position;

    @Setup(Level.Trial)
    public void open() throws IOException {
        byte[] bytes = new byte[BLOCK];
        ThreadLocalRandom.current().nextBytes(bytes);
        block.put(bytes).flip();
        dir = ScratchDir.create("fsync");
        channel = FileChannel.open(dir.resolve("fsync.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Setup(Level.Iteration)
    public void reset() throws IOException {
        channel.truncate(0);
        position = 0;
        if (mode.equals("overwrite")) {
            writeAndForce();
        }
        channel.force(true);
    }

    @Benchmark
    public long writeAndForce() throws IOException {
        block.rewind();
        long at = position;
        while (block.hasRemaining()) {
            at += channel.write(block, at);
        }
        if (mode.equals("append")) {
            position = at;
        }
        channel.force(false);
        return at;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            ScratchDir.delete(dir);
        }
    }
}
