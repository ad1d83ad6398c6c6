package io.qualgranter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 200,000-row file goes through a JVM limited to a 128 MB heap: streamed, de-duplicated exactly, reported whole. */
class BoundedMemoryTest {

    static final int ROWS = 200_000;
    static final String TYPE = "3TESTTYPE00000000000000000001";

    @TempDir
    Path dir;

    @Test
    void twoHundredThousandRowsInA128MegabyteHeap() throws IOException, InterruptedException {
        Path input = dir.resolve("big.csv");
        writeSeededFile(input);

        Process child = new ProcessBuilder(java(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "-Dgranter.home=" + dir.resolve("home"), Main.class.getName(), "grant", "--input", input.toString(), "--dry-run")
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        if (!child.waitFor(240, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM did not finish in 240 s");
        }
        String out = Files.readString(dir.resolve("out.txt"));
        String err = Files.readString(dir.resolve("err.txt"));

        assertThat(child.exitValue()).as(out + err).isEqualTo(3); // some rows are INVALID on purpose
        assertThat(out + err).doesNotContain("OutOfMemoryError");
        ReportFile report = ReportFile.read(dir.resolve("big.report.csv"));
        assertThat(report.rowsByLine()).hasSize(ROWS);
        long duplicates = report.outcomes().values().stream().filter("DUPLICATE"::equals).count();
        long invalid = report.outcomes().values().stream().filter("INVALID"::equals).count();
        assertThat(duplicates).isEqualTo(ROWS / 1000 - ROWS / 5000);
        assertThat(invalid).isEqualTo(ROWS / 5000);
        assertThat(report.outcome(2)).isEqualTo("WOULD_GRANT");
        assertThat(report.outcome(1001)).isEqualTo("DUPLICATE");
        assertThat(report.detail(1001)).contains("conflicting value");
        assertThat(report.outcome(5001)).isEqualTo("INVALID");
        assertThat(out).contains("WOULD_GRANT").contains(Integer.toString(ROWS - ROWS / 1000));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Distinct seeded worker ids; every 5000th data row has a lower-case id (INVALID), every other
     * 1000th repeats the worker of the row 500 lines earlier, with another value (DUPLICATE).
     */
    private static void writeSeededFile(Path file) throws IOException {
        Random random = new Random(6);
        String[] workers = new String[ROWS + 2];
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("WorkerId,QualificationTypeId,IntegerValue\n");
            for (int line = 2; line <= ROWS + 1; line++) {
                String worker;
                if ((line - 1) % 5000 == 0) {
                    worker = "a1lowercase" + line;
                } else if ((line - 1) % 1000 == 0) {
                    worker = workers[line - 500];
                } else {
                    worker = String.format("A%013d", line) + Integer.toString(random.nextInt(36 * 36), 36).toUpperCase();
                }
                workers[line] = worker;
                out.write(worker + "," + TYPE + "," + (line % 97) + "\n");
            }
        }
    }
}
