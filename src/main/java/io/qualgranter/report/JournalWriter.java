package io.qualgranter.report;

import io.qualgranter.row.RowOutcome;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Appends outcome lines to one execution's journal through a small buffer; at each checkpoint it
 * flushes (and fsyncs, when asked), and records the journal's length under {@code key} in the
 * step's context, in the chunk's transaction. Bytes past the last recorded length are never read.
 * (Spring Batch's FlatFileItemWriter would build each chunk as one string: megabytes for the large
 * chunks of rows that need no call.)
 */
final class JournalWriter implements ItemStreamWriter<RowOutcome> {

    private final Path file;
    private final String key;
    private final boolean forceSync;
    private FileChannel channel;
    private Writer out;

    JournalWriter(Path file, String key, boolean forceSync) {
        this.file = file;
        this.key = key;
        this.forceSync = forceSync;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outcome journal " + file, e);
        }
        context.putLong(key, 0L);
    }

    @Override
    public void write(Chunk<? extends RowOutcome> chunk) throws IOException {
        for (RowOutcome row : chunk) {
            out.write(OutcomeCsv.toLine(row));
            out.write('\n');
        }
    }

    @Override
    public void update(ExecutionContext context) {
        try {
            out.flush();
            if (forceSync) {
                channel.force(false);
            }
            context.putLong(key, channel.position());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outcome journal " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the outcome journal " + file, e);
        } finally {
            out = null;
        }
    }
}
