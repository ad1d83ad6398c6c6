package io.qualgranter.input;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli.Result;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.ReportFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input cases that need more than one file and one run: a directory, permissions, standard
 * input, and a file that changes between the executions of a run or while the run reads it.
 */
class InputEdgeCasesTest {

    static final String T = "3EDGETYPE000000000000000001";

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(T, "Edge");

    @Test
    void missingFileAndDirectoryAreOneLineExitTwo() throws IOException {
        Result missing = granter.grant("--input", dir.resolve("nope.csv").toString());
        Path directory = Files.createDirectory(dir.resolve("folder.csv"));
        Result folder = granter.grant("--input", directory.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("granter: " + dir.resolve("nope.csv") + ": no such file");
        assertThat(folder.exitCode()).isEqualTo(2);
        assertThat(folder.err().strip()).isEqualTo("granter: " + directory + ": is a directory, not a CSV file");
        assertThat(granter.mturk().totalRequests()).isZero();
    }

    /**
     * chmod 000 stops every user but root: CI runs the tests as root, where the file stays readable
     * and is granted as usual (the job does not second-guess what the OS allows); as any other user
     * the run is refused. Either way the test checks what happened against what the OS allows.
     */
    @Test
    void unreadableFileIsRefusedUnlessTheOperatingSystemLetsUsRead() throws IOException {
        Path input = csv(dir, "locked.csv", "WorkerId,QualificationTypeId,IntegerValue", "A1LOCKED1," + T + ",5");
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("---------"));
        boolean readable = Files.isReadable(input);

        Result result = granter.grant("--input", input.toString());

        if (readable) {
            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(T, "A1LOCKED1"), 5));
        } else {
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err().strip()).isEqualTo("granter: " + input + ": permission denied (cannot read the file)");
            assertThat(granter.mturk().totalRequests()).isZero();
        }
    }

    @Test
    void standardInputIsSpooledSoThePipedRunHasAnIdentityAndAReport() throws IOException {
        byte[] piped = ("WorkerId,QualificationTypeId,IntegerValue\nA1PIPED01," + T + ",5\nA1PIPED02," + T + ",x\n")
                .getBytes(StandardCharsets.UTF_8);

        Result first = granter.cli().grantFromStandardInput(granter.mturk(), piped, "--input", "-", "--max-invalid", "1");

        assertThat(first.exitCode()).as(first.all()).isEqualTo(3);
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(T, "A1PIPED01"), 5));
        Path spooled;
        try (Stream<Path> files = Files.list(granter.cli().home().resolve("stdin"))) {
            spooled = files.filter(f -> !f.getFileName().toString().endsWith(".report.csv")).findFirst().orElseThrow();
        }
        assertThat(spooled.getFileName().toString()).matches("stdin-[0-9a-f]{16}");
        assertThat(Files.readAllBytes(spooled)).isEqualTo(piped);
        Path report = spooled.resolveSibling(spooled.getFileName() + ".report.csv");
        assertThat(first.out()).contains("Report: " + report);
        assertThat(ReportFile.read(report).outcomes()).isEqualTo(Map.of(2L, "GRANTED", 3L, "INVALID"));

        Result again = granter.cli().grantFromStandardInput(granter.mturk(), piped, "--input", "-", "--max-invalid", "1");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("nothing to do");
        assertThat(granter.mturk().associateCalls()).hasSize(1);

        Result empty = granter.cli().grantFromStandardInput(granter.mturk(), new byte[0], "--input", "-");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("the file is empty");
    }

    @Test
    void fileChangedAfterARunStoppedPartWayIsANewRunThatSendsNothingTwice() throws IOException {
        granter.cli().with("granter.failure-limit", "2").with("granter.chunk-size", "2");
        Path input = dir.resolve("growing.csv");
        StringBuilder original = new StringBuilder("WorkerId,QualificationTypeId,IntegerValue\n");
        for (int i = 1; i <= 10; i++) {
            original.append(String.format("A1GROW%03d,%s,%d%n", i, T, i));
        }
        Files.writeString(input, original);
        granter.mturk().failAssociateFromCall(5, 500);

        Result first = granter.grant("--input", input.toString(), "--rate", "500");
        assertThat(first.exitCode()).as(first.all()).isEqualTo(1);
        Map<Key, Integer> grantedByFirst = granter.mturk().grants();
        assertThat(grantedByFirst).hasSize(4);
        granter.mturk().clearFaults();

        Files.writeString(input, "A1GROW011," + T + ",11\n", StandardOpenOption.APPEND);
        Result changed = granter.grant("--input", input.toString(), "--rate", "500");

        assertThat(changed.exitCode()).as(changed.all()).isZero();
        assertThat(changed.all()).contains("growing.csv changed since run ").contains("that run was abandoned")
                .doesNotContain("Exception");
        assertThat(granter.mturk().grants()).hasSize(11).containsEntry(new Key(T, "A1GROW011"), 11);
        grantedByFirst.keySet().forEach(key -> assertThat(granter.mturk().associateCount(key.qualificationTypeId(), key.workerId()))
                .as("%s was granted before the change and must not be sent again", key).isEqualTo(1));
        Map<Long, String> outcomes = ReportFile.read(dir.resolve("growing.report.csv")).outcomes();
        assertThat(outcomes).hasSize(11);
        assertThat(outcomes.values()).filteredOn("ALREADY_GRANTED"::equals).hasSize(4);
        assertThat(outcomes.values()).filteredOn("GRANTED"::equals).hasSize(7);
        assertThat(granter.cli().run("status").out()).contains("ABANDONED");
    }

    @Test
    void fileThatGrowsWhileTheRunGrantsIsGrantedAsItWasReadAndTheGrownFileIsANewRun() throws IOException {
        granter.cli().with("granter.chunk-size", "2");
        Path input = dir.resolve("growing.csv");
        StringBuilder original = new StringBuilder("WorkerId,QualificationTypeId,IntegerValue\n");
        for (int i = 1; i <= 10; i++) {
            original.append(String.format("A1GROW%03d,%s,%d%n", i, T, i));
        }
        Files.writeString(input, original);
        AtomicBoolean grown = new AtomicBoolean();
        granter.mturk().onAssociate(call -> {
            if (grown.compareAndSet(false, true)) {
                append(input, "A1GROW999," + T + ",9\n"); // during the first chunk's calls
            }
            return Optional.empty();
        });

        Result result = granter.grant("--input", input.toString(), "--rate", "500");

        // the plan step read (and checked) the whole file before the first call: the run grants what it read
        assertThat(result.exitCode()).as(result.all()).isZero();
        Map<Key, Integer> original10 = new HashMap<>();
        for (int i = 1; i <= 10; i++) {
            original10.put(new Key(T, String.format("A1GROW%03d", i)), i);
        }
        assertThat(granter.mturk().grants()).as("the rows read before the file grew; not the row appended")
                .isEqualTo(original10);

        granter.mturk().onAssociate(call -> Optional.empty());
        Result again = granter.grant("--input", input.toString(), "--rate", "500");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(granter.mturk().grants()).hasSize(11).containsEntry(new Key(T, "A1GROW999"), 9);
        assertThat(granter.mturk().associateCalls()).as("only the appended row is sent").hasSize(11);
        assertThat(ReportFile.read(dir.resolve("growing.report.csv")).outcomes()).hasSize(11)
                .containsEntry(12L, "GRANTED").containsEntry(2L, "ALREADY_GRANTED");
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
