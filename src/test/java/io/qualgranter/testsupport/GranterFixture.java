package io.qualgranter.testsupport;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The usual set-up of an end-to-end test, as a {@code @RegisterExtension} field: before each test, a
 * started {@link FakeMTurk} with the test's qualification types and a fresh {@link GranterCli} whose
 * $GRANTER_HOME is {@code home} in the test's {@code @TempDir}; after it, the fake is closed.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * @RegisterExtension final GranterFixture granter = GranterFixture.in(() -> dir).withType(TYPE, "Test type");
 * }</pre>
 *
 * The directory is a supplier because JUnit fills {@code @TempDir} fields just before the test's
 * extensions run.
 */
public final class GranterFixture implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<Path> directory;
    private UnaryOperator<FakeMTurk> types = UnaryOperator.identity();
    private FakeMTurk mturk;
    private GranterCli cli;

    private GranterFixture(Supplier<Path> directory) {
        this.directory = directory;
    }

    /** A fixture whose $GRANTER_HOME is {@code home} under the given (temporary) directory. */
    public static GranterFixture in(Supplier<Path> directory) {
        return new GranterFixture(directory);
    }

    /** Adds an Active type owned by the caller to the fake. */
    public GranterFixture withType(String id, String name) {
        return withTypes(fake -> fake.addType(id, name, "Active", true));
    }

    /** Adds types (or anything else) to the fake once it is started. */
    public GranterFixture withTypes(UnaryOperator<FakeMTurk> setUp) {
        UnaryOperator<FakeMTurk> before = types;
        types = fake -> setUp.apply(before.apply(fake));
        return this;
    }

    /** The started fake of the current test. */
    public FakeMTurk mturk() {
        return mturk;
    }

    /** The command line of the current test, bound to its $GRANTER_HOME. */
    public GranterCli cli() {
        return cli;
    }

    /** {@code grant} against the fake, with the given extra arguments (see {@link GranterCli#grant}). */
    public GranterCli.Result grant(String... args) {
        return cli.grant(mturk, args);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        mturk = types.apply(FakeMTurk.start());
        cli = new GranterCli(directory.get().resolve("home"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (mturk != null) {
            mturk.close();
        }
    }
}
