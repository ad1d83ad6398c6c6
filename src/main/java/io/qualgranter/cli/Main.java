package io.qualgranter.cli;

import io.qualgranter.job.ExitCodes;
import picocli.CommandLine;

/** Entry point: {@code granter grant|status ...}. Every failure ends as one line on stderr and an exit code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command and answers its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new GranterCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("granter: " + e.getMessage()
                    + " (see: granter " + e.getCommandLine().getCommandName() + " --help)");
            return ExitCodes.NOTHING_SENT;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (Messages.repositoryInUse(e)) {
                cl.getErr().println("granter: another process holds the job repository (" + Messages.oneLine(e)
                        + "); wait for it to finish, or see: granter status");
                return ExitCodes.ALREADY_RUNNING;
            }
            cl.getErr().println("granter: " + Messages.oneLine(e));
            return ExitCodes.RESUMABLE;
        });
        return commandLine.execute(args);
    }
}
