package dev.duet.columnstore.parquet;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable byte buffer that parquet-java's {@code Binary.writeTo} fills: the one way to get a
 * value's bytes out of a {@code Binary} without a new array per value. Not thread-safe; one per
 * column being read.
 */
final class BinarySink extends OutputStream {
    byte[] bytes = new byte[64];
    int length;

    void reset() {
        length = 0;
    }

    @Override
    public void write(int b) {
        ensure(length + 1);
        bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(length + len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    private void ensure(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
        }
    }
}
