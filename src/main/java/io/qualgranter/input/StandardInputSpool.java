package io.qualgranter.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code --input -}: copies standard input to a file under {@code $GRANTER_HOME/stdin}, named by the
 * SHA-256 of its bytes, and the run reads that file. So a piped run has an identity like any file,
 * can be validated before the first call, and is resumed by piping the same bytes again.
 */
public final class StandardInputSpool {

    public static final String DIRECTORY = "stdin";

    private StandardInputSpool() {
    }

    /** Copies {@code in} to its end; answers the spooled file ({@code stdin-<first 16 hex of SHA-256>}). */
    public static Path spool(InputStream in, Path home) {
        Path directory = home.resolve(DIRECTORY);
        Path partial = null;
        try {
            Files.createDirectories(directory);
            partial = Files.createTempFile(directory, "stdin-", ".partial");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
                in.transferTo(out);
            }
            Path spooled = directory.resolve("stdin-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16));
            if (Files.exists(spooled) && Files.mismatch(spooled, partial) == -1) {
                Files.delete(partial); // the same bytes were piped before: keep the file that run knows
            } else {
                Files.move(partial, spooled, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return spooled;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new InputFileException("standard input: cannot be copied to " + directory + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            deleteQuietly(partial);
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // already failing with a better message
            }
        }
    }
}
