package dev.duet.core.io;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads what a {@link ByteSink} wrote. Every read is bounds-checked: truncated or garbage input
 * raises {@link SqlState#DATA_CORRUPTED} naming {@code what} is being read, never an
 * index exception. Not thread-safe.
 */
public final class ByteSource {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buf;
    private int end;
    private final String what;
    private int pos;

    public ByteSource(byte[] buf, int off, int len, String what) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.what = what;
    }

    /**
     * Reads {@code buf[off, off + len)} from now on, from its start: a reader kept for many
     * records (the column-store sync decodes one per commit) then costs no object per record.
     */
    public ByteSource reset(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        return this;
    }

    public ByteSource(byte[] buf, String what) {
        this(buf, 0, buf.length, what);
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "%s is truncated or corrupt (needs %d bytes at %d, %d left)",
                    what, n, pos, end - pos);
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++];
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public int readInt() {
        need(4);
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8);
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    public int readVarInt() {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    break;
                }
                return v;
            }
        }
        throw DuetException.of(SqlState.DATA_CORRUPTED, "%s holds a malformed varint at %d", what, pos);
    }

    public byte[] readBytes(int len) {
        need(len);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return b;
    }

    /** Moves past {@code n} bytes (which must be there). */
    public void skip(int n) {
        need(n);
        pos += n;
    }

    public byte[] readBlob() {
        return readBytes(readVarInt());
    }

    public String readString() {
        int len = readVarInt();
        need(len);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }
}
