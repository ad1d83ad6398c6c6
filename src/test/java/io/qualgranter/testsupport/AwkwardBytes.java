package io.qualgranter.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Input files for the "any bytes" properties: either any bytes at all, or CSV-ish fragments (headers,
 * ids, delimiters, quotes, line breaks, BOMs, NULs, bytes that are not UTF-8) strung together, with or
 * without a good header first, which get past the header far more often.
 */
public final class AwkwardBytes {

    public static final String TYPE = "3ARBITRARYTYPE0000000000001";

    private static final List<String> FRAGMENTS = List.of("WorkerId", "QualificationTypeId", "IntegerValue",
            "SendNotification", "score", "A1WORKER1", "A1WORKER2", "a1worker3", TYPE, "5", "-7", "1.0", "2147483648",
            "yes", ",", ",", ";", "\t", "\"", "\"\"", "\n", "\n", "\r\n", "\r", " ", "\u00a0", "\ufeff", "\u0000", "é",
            "A1,A2");
    private static final List<byte[]> NOT_UTF8 = List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3},
            new byte[] {(byte) 0xe9}, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, new byte[] {(byte) 0xff, (byte) 0xfe});
    private static final byte[] HEADER = "WorkerId,QualificationTypeId,IntegerValue\n".getBytes(StandardCharsets.UTF_8);

    private AwkwardBytes() {
    }

    /** Any bytes (1 in 5), a good header then CSV-ish fragments (3 in 5), fragments alone (1 in 5). */
    public static byte[] file(SeededRandom random) {
        return random.weighted(new int[] {1, 3, 1},
                r -> r.bytes(2000),
                r -> concat(List.of(HEADER, csvIsh(r))),
                AwkwardBytes::csvIsh);
    }

    /** Fragments (2 in 5), bytes that are not UTF-8 (1 in 5), or whole rows of odd cells (2 in 5). */
    private static byte[] csvIsh(SeededRandom random) {
        return concat(random.listOf(0, 120, () -> random.weighted(new int[] {2, 1, 2},
                r -> r.oneOf(FRAGMENTS).getBytes(StandardCharsets.UTF_8),
                r -> r.oneOf(NOT_UTF8),
                r -> row(r).getBytes(StandardCharsets.UTF_8))));
    }

    /** A record that reaches validation: worker, type, value cells from lists of good and bad ones. */
    private static String row(SeededRandom random) {
        String worker = random.oneOf("A1WORKER1", "A1WORKER2", " A1WORKER1 ", "a1worker3", "", "A", "A1\u00e9", "A1".repeat(40));
        String type = random.oneOf(TYPE, " " + TYPE, "", "3-TYPE", "3" + "T".repeat(70));
        String value = random.oneOf("5", "-7", "+3", "007", "", "1.0", "2147483647", "2147483648", "-2147483649",
                "99999999999999999999", "-", "0x10", Integer.toString(random.anyInt()));
        return worker + "," + type + "," + value + random.oneOf("\n", "\r\n", ",yes\n", ",maybe\n", "");
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
