package dev.duet.columnstore.parquet;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps Hadoop's {@code CodecPool} quiet: it logs "Got brand-new compressor" at INFO for every
 * Parquet file opened, which would flood the log of a database that seals many segments. Duet's
 * components log through {@code java.util.logging} (SLF4J's JDK binding), so the level is set
 * there; an embedder with another SLF4J binding configures that logger itself.
 */
final class CodecPoolLogging {
    /** Held strongly: java.util.logging keeps loggers weakly and would forget the level. */
    private static final Logger CODEC_POOL = Logger.getLogger("org.apache.hadoop.io.compress.CodecPool");

    static {
        if (CODEC_POOL.getLevel() == null) {
            CODEC_POOL.setLevel(Level.WARNING);
        }
    }

    private CodecPoolLogging() {
    }

    /** Runs the static initializer once; later calls cost nothing. */
    static void quiet() {
        // the work is in the static initializer
    }
}
