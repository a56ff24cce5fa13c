package dev.duet.core.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hash of an encoded key ({@link KeyCodec}) for the open-addressing tables that hold keys
 * (the row store's hash index, the column store's key map): well mixed, except for its lowest
 * {@code runBits} bits, which are those of the key's last byte. Encoded integer keys differ only
 * in their last bytes, so a polynomial such as {@code Arrays.hashCode} maps many onto few values;
 * the mixing avoids that. The low bits are kept so that keys differing only there (neighbouring
 * integers: ascending ids, sequences, row ids) take neighbouring slots: inserting ascending keys
 * into a large table then misses the cache about once per run of {@code 2^runBits} keys instead
 * of once per key. Keys whose last bytes agree in those bits start their probes only at every
 * {@code 2^runBits}-th slot, which behaves as buckets of that many slots.
 */
public final class KeyHash {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private KeyHash() {
    }

    /** The hash of the key {@code buf[off, off + len)}, its lowest {@code runBits} bits from its last byte. */
    public static int of(byte[] buf, int off, int len, int runBits) {
        if (len == 0) {
            return 0x9E3779B9;
        }
        int runMask = (1 << runBits) - 1;
        int last = off + len - 1;
        long h = len * 0x9E3779B97F4A7C15L;
        int i = off;
        for (; i + 8 <= last; i += 8) {
            h = (h ^ (long) LONG.get(buf, i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 29;
        }
        long tail = 0;
        for (; i < last; i++) {
            tail = (tail << 8) | (buf[i] & 0xFF);
        }
        tail = (tail << 8) | (buf[last] & 0xFF & ~runMask);
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h & ~runMask | buf[last] & runMask;
    }
}
