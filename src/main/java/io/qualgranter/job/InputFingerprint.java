package io.qualgranter.job;

import java.nio.file.Path;

import io.qualgranter.input.GrantFile;

/** The SHA-256 of the input file's bytes: the content part of a run's identity. */
public final class InputFingerprint {

    private InputFingerprint() {
    }

    /** Throws {@link io.qualgranter.input.InputFileException} when the file cannot be read. */
    public static String sha256(Path file) {
        return GrantFile.sha256(file);
    }
}
