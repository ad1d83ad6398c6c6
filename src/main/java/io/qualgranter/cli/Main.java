package io.qualgranter.cli;

import java.util.Optional;

import io.qualgranter.EarlyWarmUp;
import io.qualgranter.job.LogFileFallback;
import io.qualgranter.job.EnvironmentFault;
import io.qualgranter.job.ExitCodes;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point: {@code granter grant|status ...}. Every failure ends as one line on stderr and an exit code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length > 0 && "grant".equals(args[0])) {
            EarlyWarmUp.start(); // while picocli reads the arguments (README, Start-up time)
        }
        System.exit(Boolean.getBoolean(TrainingRun.PROPERTY) ? TrainingRun.run() : run(args));
    }

    /** Runs one command and answers its exit code (tests call this instead of main). */
    public static int run(String... args) {
        LogFileFallback.reset();
        EnvironmentFault.homeIs(null);
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
            LoggerFactory.getLogger(Main.class).error("The command failed", e);
            Optional<EnvironmentFault> fault = EnvironmentFault.of(e, false);
            if (fault.isPresent()) {
                cl.getErr().println("granter: " + fault.get().line());
                LogFileFallback.sayOnce(cl.getErr());
                return fault.get().exitCode();
            }
            cl.getErr().println("granter: " + Messages.oneLine(e) + " (details in the log in $GRANTER_HOME/logs)");
            LogFileFallback.sayOnce(cl.getErr());
            return ExitCodes.RESUMABLE;
        });
        int code = commandLine.execute(args);
        LogFileFallback.sayOnce(commandLine.getErr());
        commandLine.getErr().flush();
        return code;
    }
}
