package dev.duet.core.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer for building log records and metadata files. Meant to be
 * reused: {@link #reset()} keeps the array, so a long-lived sink stops allocating once it has
 * grown to the largest record. Not thread-safe.
 */
public final class ByteSink {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int pos;

    public ByteSink() {
        this(256);
    }

    public ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void reset() {
        pos = 0;
    }

    public int size() {
        return pos;
    }

    /** The backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    public ByteSink writeByte(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteSink writeBoolean(boolean v) {
        return writeByte(v ? 1 : 0);
    }

    public ByteSink writeInt(int v) {
        ensure(4);
        INT.set(buf, pos, v);
        pos += 4;
        return this;
    }

    public ByteSink writeLong(long v) {
        ensure(8);
        LONG.set(buf, pos, v);
        pos += 8;
        return this;
    }

    /** Overwrites 4 bytes at {@code at} (for counts known only after the record is built). */
    public void setInt(int at, int v) {
        INT.set(buf, at, v);
    }

    /** Overwrites 8 bytes at {@code at} (for fields known only after the record is built). */
    public void setLong(int at, long v) {
        LONG.set(buf, at, v);
    }

    /** Unsigned LEB128 varint of a non-negative int. */
    public ByteSink writeVarInt(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative varint " + v);
        }
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteSink writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /** Varint length, then the bytes. */
    public ByteSink writeBlob(byte[] b) {
        writeVarInt(b.length);
        return writeBytes(b, 0, b.length);
    }

    /** Varint byte length, then UTF-8. */
    public ByteSink writeString(String s) {
        return writeBlob(s.getBytes(StandardCharsets.UTF_8));
    }
}
