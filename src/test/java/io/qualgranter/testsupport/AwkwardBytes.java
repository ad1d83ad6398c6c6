package io.qualgranter.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * jqwik input files for the "any bytes" properties: either any bytes at all, or CSV-ish fragments
 * (headers, ids, delimiters, quotes, line breaks, BOMs, NULs, bytes that are not UTF-8) strung
 * together, with or without a good header first, which get past the header far more often.
 */
public final class AwkwardBytes {

    public static final String TYPE = "3ARBITRARYTYPE0000000000001";

    private AwkwardBytes() {
    }

    public static Arbitrary<byte[]> files() {
        List<String> fragments = List.of("WorkerId", "QualificationTypeId", "IntegerValue", "SendNotification", "score",
                "A1WORKER1", "A1WORKER2", "a1worker3", TYPE, "5", "-7", "1.0", "2147483648", "yes", ",", ",", ";", "\t",
                "\"", "\"\"", "\n", "\n", "\r\n", "\r", " ", "\u00a0", "\ufeff", "\u0000", "é", "A1,A2");
        Arbitrary<byte[]> csvIsh = Arbitraries.oneOf(
                        Arbitraries.of(fragments).map(f -> f.getBytes(StandardCharsets.UTF_8)),
                        Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xe9},
                                new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, new byte[] {(byte) 0xff, (byte) 0xfe}))
                .list().ofMaxSize(120).map(AwkwardBytes::concat);
        Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
        byte[] header = "WorkerId,QualificationTypeId,IntegerValue\n".getBytes(StandardCharsets.UTF_8);
        return Arbitraries.frequencyOf(
                Tuple.of(1, anyBytes),
                Tuple.of(3, csvIsh.map(body -> concat(List.of(header, body)))),
                Tuple.of(1, csvIsh));
    }

    private static byte[] concat(List<byte[]> parts) {
        int length = parts.stream().mapToInt(part -> part.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
