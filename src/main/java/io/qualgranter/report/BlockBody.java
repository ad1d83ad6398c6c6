package io.qualgranter.report;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Adler32;
import java.util.zip.Deflater;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.Uninterruptibles;
import io.qualgranter.row.PlannedRow;

/**
 * The body of an outcome block: its lines ({@link BlockText}) as one zlib stream (deflate's fastest level),
 * which {@link RunOutcomes} inflates as it always has.
 *
 * <p>A big block is deflated in two halves at once, its second half on a helper thread: the first half's
 * raw deflate ends on a byte boundary (a sync flush), the second starts a new one and ends the stream, and
 * the checksum of the whole text comes from the halves' checksums. (Unlike pigz, the second half starts
 * with no dictionary of the first; the blocks come out as small: 14.32 MB per million bench rows either
 * way.) The text and zlib cost about 0.5 s per million rows (a quarter of a dry run's plan step), all on
 * the step's thread, while the machine's second core is not always busy; in halves the step's thread
 * waits about half that.
 */
final class BlockBody {

    /** Blocks of fewer rows are deflated on the caller's thread alone. */
    static final int SPLIT_FROM_ROWS = 2048;

    private static final int FLUSH_BYTES = 1 << 15;
    /** The zlib header deflate's fastest level writes: 32 KiB window, no preset dictionary, "fastest". */
    private static final byte[] HEADER = {0x78, 0x01};
    private static final int ADLER_BASE = 65521;

    private static final ExecutorService HELPER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "granter-block-deflate");
        thread.setDaemon(true);
        return thread;
    });

    private BlockBody() {
    }

    /** The deflated lines of {@code rows}, in order. */
    static byte[] of(List<? extends PlannedRow> rows) {
        if (rows.size() < SPLIT_FROM_ROWS) {
            return assemble(deflate(rows, true), null);
        }
        int half = rows.size() / 2;
        Future<Part> second = HELPER.submit(() -> deflate(rows.subList(half, rows.size()), true));
        Part first;
        try {
            first = deflate(rows.subList(0, half), false);
        } catch (RuntimeException | Error e) {
            second.cancel(true);
            throw e;
        }
        try {
            // uninterruptibly, as the pacer waits: the helper needs milliseconds, and an interrupt must not fail the chunk
            return assemble(first, Uninterruptibles.getUninterruptibly(second));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            cause.addSuppressed(new IllegalStateException("the second half of an outcome block, waited on by "
                    + Thread.currentThread().getName()));
            Throwables.throwIfUnchecked(cause);
            throw new IllegalStateException("cannot deflate an outcome block", cause);
        }
    }

    /** Header, the halves' raw deflate, then the Adler-32 of the whole text, big-endian. */
    private static byte[] assemble(Part first, Part second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(HEADER.length + first.deflated.length
                + (second == null ? 0 : second.deflated.length) + 4);
        out.writeBytes(HEADER);
        out.writeBytes(first.deflated);
        long adler = first.adler;
        if (second != null) {
            out.writeBytes(second.deflated);
            adler = combineAdler32(first.adler, second.adler, second.textLength);
        }
        out.write((int) (adler >>> 24));
        out.write((int) (adler >>> 16));
        out.write((int) (adler >>> 8));
        out.write((int) adler);
        return out.toByteArray();
    }

    /** One part's lines as raw deflate: ending the stream ({@code last}) or on a byte boundary for the next part. */
    private static Part deflate(List<? extends PlannedRow> rows, boolean last) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            BlockText text = new BlockText(1 << 16);
            Adler32 adler = new Adler32();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(rows.size() * 16, 64));
            byte[] buffer = new byte[1 << 16];
            long length = 0;
            for (PlannedRow row : rows) {
                text.append(row);
                if (text.length() > FLUSH_BYTES) {
                    length += feed(deflater, text, adler, out, buffer);
                }
            }
            length += feed(deflater, text, adler, out, buffer);
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    out.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                int n;
                do {
                    n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    out.write(buffer, 0, n);
                } while (n == buffer.length);
            }
            return new Part(out.toByteArray(), adler.getValue(), length);
        } finally {
            deflater.end();
        }
    }

    /** Hands the text so far to the deflater (and the checksum), empties it; answers its length. */
    private static int feed(Deflater deflater, BlockText text, Adler32 adler, ByteArrayOutputStream out, byte[] buffer) {
        int length = text.length();
        adler.update(text.bytes(), 0, length);
        deflater.setInput(text.bytes(), 0, length);
        while (!deflater.needsInput()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        text.clear();
        return length;
    }

    /**
     * The Adler-32 of A followed by B, from that of A, that of B and B's length (zlib's adler32_combine):
     * B's low sum starts from A's instead of 1, and every byte of B adds that difference to the high sum.
     */
    static long combineAdler32(long adlerA, long adlerB, long lengthB) {
        long rem = lengthB % ADLER_BASE;
        long lowA = adlerA & 0xffff;
        long highA = adlerA >>> 16 & 0xffff;
        long lowB = adlerB & 0xffff;
        long highB = adlerB >>> 16 & 0xffff;
        long low = (lowA + lowB + ADLER_BASE - 1) % ADLER_BASE;
        long high = (rem * lowA % ADLER_BASE + highA + highB + ADLER_BASE - rem) % ADLER_BASE;
        return high << 16 | low;
    }

    private record Part(byte[] deflated, long adler, long textLength) {
    }
}
