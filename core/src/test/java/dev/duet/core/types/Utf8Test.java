package dev.duet.core.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static String decode(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Utf8.decode(b, 0, b.length);
    }

    private static void rejects(int... bytes) {
        DuetException e = assertThrows(DuetException.class, () -> decode(bytes));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
    }

    @Test
    void validStringsAreStandardUtf8() {
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(12);
            for (int j = 0; j < n; j++) {
                int cp;
                do {
                    cp = switch (r.nextInt(4)) {
                        case 0 -> r.nextInt(0x80);
                        case 1 -> r.nextInt(0x800);
                        case 2 -> r.nextInt(0x10000);
                        default -> r.nextInt(Character.MAX_CODE_POINT + 1);
                    };
                } while (Character.isSurrogate((char) cp) && cp < 0x10000);
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(expected, ValuesTest.utf8(s));
            assertEquals(expected.length, Utf8.encodedLength(s, 0, s.length()));
            assertEquals(s, Utf8.decode(expected, 0, expected.length));
        }
    }

    @Test
    void unpairedSurrogatesRoundTripAsTheirOwnCodePoints() {
        assertArrayEquals(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, ValuesTest.utf8("\uD800"));
        RandomValues rv = new RandomValues(2, true);
        for (int i = 0; i < 20_000; i++) {
            String s = (String) rv.next(DataType.TEXT);
            byte[] b = ValuesTest.utf8(s);
            assertEquals(s, Utf8.decode(b, 0, b.length));
        }
    }

    @Test
    void rangesEncodeOnlyTheirChars() {
        String s = "xé😀y";
        byte[] b = new byte[16];
        int end = Utf8.encode(s, 1, 4, b, 2);
        assertEquals(2 + 6, end);
        assertEquals(6, Utf8.encodedLength(s, 1, 4));
        assertEquals("é😀", Utf8.decode(b, 2, 6));
    }

    @Test
    void malformedInputIsCorruption() {
        rejects(0x80); // continuation without a lead
        rejects(0xC0, 0x80); // overlong NUL
        rejects(0xC1, 0xBF); // overlong
        rejects(0xE0, 0x80, 0x80); // overlong three-byte
        rejects(0xF0, 0x80, 0x80, 0x80); // overlong four-byte
        rejects(0xF4, 0x90, 0x80, 0x80); // above U+10FFFF
        rejects(0xF5, 0x80, 0x80, 0x80);
        rejects(0xFF);
        rejects(0xC3); // truncated
        rejects(0xE4, 0xB8); // truncated
        rejects(0xF0, 0x9F, 0x98); // truncated
        rejects(0xC3, 0x28); // bad continuation
        rejects(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80); // a pair written as two surrogates (CESU-8)
        assertEquals("\uD83D", decode(0xED, 0xA0, 0xBD)); // while an unpaired one is fine
        assertEquals("\uDE00\uD83D", decode(0xED, 0xB8, 0x80, 0xED, 0xA0, 0xBD));
    }
}
