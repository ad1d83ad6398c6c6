package io.qualgranter.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.InflaterInputStream;

import io.qualgranter.row.PlannedRow;
import io.qualgranter.testsupport.SeededRandom;
import io.qualgranter.testsupport.SeededTries;
import org.junit.jupiter.api.Test;

/** A block's body inflates, checksum included, to its rows' lines, whether deflated in one part or two. */
class BlockBodyTest {

    @Test
    void inflatesToTheLinesOfItsRowsInOrder() {
        int split = BlockBody.SPLIT_FROM_ROWS;
        SeededTries.run(40, random -> {
            int size = random.oneOf(1, 2, random.between(3, split - 1), split - 1, split, split + 1,
                    random.between(split, 4 * split));
            List<PlannedRow> rows = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                rows.add(BlockTextTest.row(random));
            }
            assertThat(inflate(BlockBody.of(rows))).isEqualTo(linesOf(rows));
        });
    }

    /** The rows' report lines as BlockText writes them, one after the other: what a block's body inflates to. */
    static byte[] linesOf(List<PlannedRow> rows) {
        BlockText text = new BlockText(64);
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (PlannedRow row : rows) {
            text.append(row);
            lines.write(text.bytes(), 0, text.length());
            text.clear();
        }
        return lines.toByteArray();
    }

    @Test
    void theChecksumOfTwoPartsIsThatOfTheWhole() {
        SeededTries.run(200, random -> {
            byte[] a = part(random);
            byte[] b = part(random);
            Adler32 whole = new Adler32();
            whole.update(a);
            whole.update(b);

            assertThat(BlockBody.combineAdler32(adler(a), adler(b), b.length)).isEqualTo(whole.getValue());
        });
    }

    /** Random bytes of a length around Adler-32's modulus (65521) or under it, now and then none. */
    private static byte[] part(SeededRandom random) {
        int length = random.oneOf(0, 1, 65_520, 65_521, 65_522, random.between(2, 3000), random.between(2, 200_000));
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.anyInt();
        }
        return bytes;
    }

    private static long adler(byte[] bytes) {
        Adler32 adler = new Adler32();
        adler.update(bytes);
        return adler.getValue();
    }

    /** As RunOutcomes reads a block: zlib's wrapper, its checksum checked at the end. */
    private static byte[] inflate(byte[] body) {
        try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
