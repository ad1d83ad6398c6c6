package io.qualgranter.ops;

import static io.qualgranter.testsupport.GranterCli.csv;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.qualgranter.testsupport.FakeMTurk.Key;
import io.qualgranter.testsupport.GranterFixture;
import io.qualgranter.testsupport.GranterCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ops/granter} on the packaged jar (so after {@code package}, as an integration test): the
 * first launch builds the start-up cache (extracted jar + CDS archive) and every launch runs the
 * Spring AOT-generated context; grants still reach the service and reruns still resume.
 */
class LauncherIT {

    static final String TYPE = "3TESTTYPE00000000000000000001";
    static final Path LAUNCHER = Path.of("ops/granter").toAbsolutePath();
    static final Path JAR = Path.of("target/qualification-granter.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @RegisterExtension
    final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");

    record Run(int exitCode, String output) {
    }

    @Test
    void firstLaunchBuildsTheCacheAndEveryLaunchGrantsThroughTheFastPath() throws Exception {
        Path first = csv(dir, "first.csv", "WorkerId,QualificationTypeId,IntegerValue", "A1WORKER001," + TYPE + ",7");
        Path second = csv(dir, "second.csv", "WorkerId,QualificationTypeId,IntegerValue", "A1WORKER002," + TYPE + ",8");

        Run cold = launch(Map.of(), "grant", "--input", first.toString(), "--endpoint-url", granter.mturk().endpoint().toString());
        granter.mturk().failNext(1, 429); // the warm run's grant is refused once as over the rate limit, then sent again
        Run warm = launch(Map.of("JAVA_OPTS", "-Xlog:class+load=info -XX:+PrintFlagsFinal"), "grant", "--input", second.toString(), "--endpoint-url", granter.mturk().endpoint().toString(),
                "--summary-json", dir.resolve("s.json").toString());
        // an input of GRANTER_C2_FROM_BYTES or more keeps the full tiered compiler (C2)
        Run rerun = launch(Map.of("GRANTER_C2_FROM_BYTES", "1", "JAVA_OPTS", "-XX:+PrintFlagsFinal"), "grant", "--input",
                second.toString(), "--endpoint-url", granter.mturk().endpoint().toString());
        Run single = launch(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "grant", "--worker-id", "A1WORKER004",
                "--qualification-type-id", TYPE, "--integer-value", "4", "--endpoint-url", granter.mturk().endpoint().toString());

        assertThat(cold.exitCode()).as(cold.output()).isZero();
        assertThat(cold.output()).contains("preparing the start-up cache");
        try (var caches = Files.list(dir.resolve("home/cache"))) {
            Path cache = caches.filter(Files::isDirectory).findFirst().orElseThrow();
            assertThat(cache.resolve("app.jsa")).isNotEmptyFile();
            assertThat(cache.resolve("app/qualification-granter.jar")).exists();
        }
        assertThat(warm.exitCode()).as(warm.output()).isZero();
        assertThat(warm.output()).doesNotContain("preparing").contains("GRANTED")
                .as("classes come from the CDS archive").contains("io.qualgranter.cli.GrantCommand source: shared objects file")
                .as("so does the way a refusal is read (the training run meets one)").contains(REFUSAL_READ_FROM_ARCHIVE)
                .as("the AOT-generated context is used").contains("GranterApplication__BeanDefinitions")
                .as("a small input: C1 only").containsPattern("TieredStopAtLevel += 1 ")
                .as("a small input: half the heap young").containsPattern("NewRatio += 1 ")
                .as("a run from a file: the parallel collector").containsPattern("UseParallelGC += true ")
                .as("huge pages for the heap where the kernel offers them")
                .containsPattern("UseTransparentHugePages += " + kernelOffersHugePages() + " ");
        assertThat(rerun.exitCode()).as(rerun.output()).isZero();
        assertThat(rerun.output()).contains("nothing to do").containsPattern("TieredStopAtLevel += 4 ")
                .as("a big input: the JVM's own young generation").containsPattern("NewRatio += 2 ");
        assertThat(single.exitCode()).as(single.output()).isZero();
        assertThat(single.output()).contains("GRANTED")
                .as("a single grant: the serial collector, the quickest to start").containsPattern("UseSerialGC += true ")
                .containsPattern("UseParallelGC += false ");
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(TYPE, "A1WORKER001"), 7, new Key(TYPE, "A1WORKER002"), 8,
                new Key(TYPE, "A1WORKER004"), 4));
        assertThat(dir.resolve("s.json")).content().contains("\"exit_code\":0");
        assertThat(Files.readString(dir.resolve("home/logs/granter.log"))).doesNotContain("Exception");
    }

    /**
     * On Java 25 and later the launcher records an AOT cache instead of a CDS archive (README, "Start-up
     * time"). The build runs on Java 17; the case runs where a JDK 25 or later is installed under
     * /usr/lib/jvm (or named by GRANTER_TEST_JAVA25_HOME), as on this project's machines.
     */
    @Test
    void onJava25OrLaterTheLauncherRecordsAndUsesAnAotCache() throws Exception {
        Path javaHome = java25OrLater();
        Assumptions.assumeTrue(javaHome != null, "no JDK 25 or later installed");
        Path input = csv(dir, "rows.csv", "WorkerId,QualificationTypeId,IntegerValue", "A1WORKER003," + TYPE + ",9");

        Run cold = launch(Map.of("JAVA_HOME", javaHome.toString()), "status");
        // no JAVA_HOME: the launcher finds the Java 25+ among the JDKs installed (here, only that one) by itself
        Path jvms = Files.createDirectories(dir.resolve("jvms"));
        Files.createSymbolicLink(jvms.resolve("jdk-25"), javaHome);
        granter.mturk().failNext(1, 429);
        Run warm = launch(Map.of("GRANTER_JVM_DIR", jvms.toString(), "JAVA_OPTS", "-Xlog:class+load=info"),
                "grant", "--input", input.toString(), "--endpoint-url", granter.mturk().endpoint().toString());

        assertThat(cold.exitCode()).as(cold.output()).isZero();
        assertThat(cold.output()).contains("preparing the start-up cache");
        try (var caches = Files.list(dir.resolve("home/cache"))) {
            Path cache = caches.filter(Files::isDirectory).findFirst().orElseThrow();
            assertThat(cache.resolve("app.aot")).isNotEmptyFile();
        }
        assertThat(warm.exitCode()).as(warm.output()).isZero();
        assertThat(warm.output()).as("the cache of the same JDK").doesNotContain("preparing").contains("GRANTED")
                .as("classes come from the AOT cache").contains("io.qualgranter.cli.GrantCommand source: shared objects file")
                .as("so does the way a refusal is read").contains(REFUSAL_READ_FROM_ARCHIVE);
        assertThat(granter.mturk().grants()).isEqualTo(Map.of(new Key(TYPE, "A1WORKER003"), 9));
    }

    /**
     * A class loaded only when an error answer is read: the training run meets one, so that a run's first refusal
     * does not load and verify ~30 classes from the jar (issue 14, stop 36).
     */
    private static final String REFUSAL_READ_FROM_ARCHIVE =
            "software.amazon.awssdk.services.mturk.model.MTurkException$BuilderImpl source: shared objects file";

    private static Path java25OrLater() throws IOException {
        String named = System.getenv("GRANTER_TEST_JAVA25_HOME");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (var homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && featureVersion(home) >= 25)
                    .findFirst().orElse(null);
        }
    }

    /** JAVA_VERSION="25.0.3" in the JDK's release file → 25; 0 when unreadable. */
    private static int featureVersion(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String version = line.substring("JAVA_VERSION=\"".length());
                    return Integer.parseInt(version.split("[.\"]")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private Run launch(Map<String, String> extraEnvironment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("GRANTER_JAR", JAR.toString());
        env.put("GRANTER_HOME", dir.resolve("home").toString());
        env.put("AWS_ACCESS_KEY_ID", GranterCli.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", GranterCli.SECRET_KEY);
        env.remove("SPRING_PROFILES_ACTIVE");
        env.remove("JAVA_OPTS");
        // the java on the PATH unless a case says otherwise (no search for a Java 25+ under /usr/lib/jvm)
        env.remove("JAVA_HOME");
        env.put("GRANTER_JVM_DIR", "none");
        env.putAll(extraEnvironment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output));
    }

    /** What ops/granter reads: huge pages on request ([madvise]) or always ([always]). */
    private static boolean kernelOffersHugePages() throws IOException {
        Path setting = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        String mode = Files.isReadable(setting) ? Files.readString(setting) : "";
        return mode.contains("[madvise]") || mode.contains("[always]");
    }
}
