package io.qualgranter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.qualgranter.testsupport.FakeMTurk;
import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterCli;
import io.qualgranter.testsupport.GranterCli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --generate-skeleton prints samples that the grant command itself accepts. */
class SkeletonTest {

    @TempDir
    Path dir;

    @Test
    void printsBothSamplesAndExitsZeroWithoutTouchingGranterHome() {
        GranterCli cli = new GranterCli(dir.resolve("home"));

        Result result = cli.run("grant", "--generate-skeleton");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("WorkerId,QualificationTypeId,IntegerValue,SendNotification")
                .contains("{\"QualificationTypeId\": \"3EXAMPLEQUALIFICATIONTYPE01\", \"WorkerId\": \"A1EXAMPLEWORKER01\"");
        assertThat(Files.exists(cli.home())).as("no Spring context, no $GRANTER_HOME").isFalse();
        assertThat(cli.run("grant", "--generate-skeleton=xml").exitCode()).isEqualTo(2);
    }

    @Test
    void eachSampleIsAValidInput() throws IOException {
        GranterCli cli = new GranterCli(dir.resolve("home"));
        try (FakeMTurk mturk = FakeMTurk.start().addType("3EXAMPLEQUALIFICATIONTYPE01", "Example", "Active", true)) {
            Path csv = Files.writeString(dir.resolve("sample.csv"), cli.run("grant", "--generate-skeleton", "csv").out());
            Path jsonl = Files.writeString(dir.resolve("sample.jsonl"), cli.run("grant", "--generate-skeleton", "jsonl").out());

            assertThat(cli.grant(mturk, "--input", csv.toString()).exitCode()).isZero();
            assertThat(cli.grant(mturk, "--input", jsonl.toString()).exitCode()).isZero();
            assertThat(mturk.grants()).isEqualTo(Map.of(
                    new Key("3EXAMPLEQUALIFICATIONTYPE01", "A1EXAMPLEWORKER01"), 90,
                    new Key("3EXAMPLEQUALIFICATIONTYPE01", "A1EXAMPLEWORKER02"), 85));
        }
    }
}
