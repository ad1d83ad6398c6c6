package io.qualgranter.input;

/**
 * The input is no longer the file the run was started with: it grew, or was rewritten, between
 * the executions or steps of one run or while a step read it (its SHA-256, size or modification
 * time differs).
 */
public class InputChangedException extends InputFileException {

    private InputChangedException(String fileName, String evidence, String consequence) {
        super(fileName + ": the file changed since this run started (" + evidence + "): " + consequence
                + "; nothing recorded is lost: run the same command again (with the file as it was, it resumes this run)");
    }

    /** The bytes have another SHA-256 than the run's. */
    public static InputChangedException hashDiffers(String fileName, String expectedSha256, String actualSha256,
                                                    String consequence) {
        return new InputChangedException(fileName, "SHA-256 " + abbreviate(expectedSha256) + " then, "
                + abbreviate(actualSha256) + " now", consequence);
    }

    /** The size or modification time changed while the file was being read. */
    static InputChangedException touched(String fileName, long line, long sizeThen, long sizeNow, String consequence) {
        String evidence = sizeThen == sizeNow ? "rewritten before line " + line + " was read"
                : sizeThen + " bytes when opened, " + sizeNow + " before line " + line + " was read";
        return new InputChangedException(fileName, evidence, consequence);
    }

    private static String abbreviate(String sha256) {
        return sha256 == null || sha256.length() < 12 ? String.valueOf(sha256) : sha256.substring(0, 12) + "...";
    }
}
