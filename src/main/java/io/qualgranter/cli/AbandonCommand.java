package io.qualgranter.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.qualgranter.GranterApplication;
import io.qualgranter.job.ExitCodes;
import io.qualgranter.job.GrantRunner;
import io.qualgranter.job.LeaseHolder;
import io.qualgranter.job.RunLease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.EmptyResultDataAccessException;

/**
 * {@code granter abandon --execution-id N}: gives up on a failed, stopped or dead run for good
 * (ABANDONED). The same command afterwards starts a fresh attempt, in which rows already granted are
 * ALREADY_GRANTED from the ledger. A run whose process is alive is refused (exit 4).
 */
@Command(name = "abandon", mixinStandardHelpOptions = true, description = "Give up on a run for good.")
public class AbandonCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--execution-id", paramLabel = "N", required = true, description = "the execution (see: granter status)")
    long executionId;

    private static JobExecution find(JobRepository repository, long id) {
        try {
            return repository.getJobExecution(id);
        } catch (EmptyResultDataAccessException e) {
            return null;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ConfigurableApplicationContext context = GranterApplication.start()) {
            JobRepository repository = context.getBean(JobRepository.class);
            JobExecution execution = find(repository, executionId);
            if (execution == null) {
                err.println("granter: there is no execution " + executionId + " (see: granter status)");
                return ExitCodes.NOTHING_SENT;
            }
            BatchStatus status = execution.getStatus();
            if (status == BatchStatus.ABANDONED) {
                out.println("granter: execution " + executionId + " was already abandoned");
                return ExitCodes.DONE;
            }
            if (status == BatchStatus.COMPLETED) {
                err.println("granter: execution " + executionId + " completed; there is nothing to abandon");
                return ExitCodes.NOTHING_SENT;
            }
            if (status.isRunning()) {
                Optional<LeaseHolder> live = context.getBean(RunLease.class).liveHolderOf(executionId);
                if (live.isPresent()) {
                    err.println("granter: execution " + executionId + " is in progress: " + live.get().describe()
                            + "; stop it first (SIGTERM)");
                    return ExitCodes.ALREADY_RUNNING;
                }
                execution = context.getBean(GrantRunner.class).recoverIfRunning(execution,
                        "no live process holds its lease");
            }
            context.getBean(JobOperator.class).abandon(execution);
            out.println("granter: abandoned execution " + executionId + "; running the same grant command again starts"
                    + " afresh, and rows already granted come out ALREADY_GRANTED");
            return ExitCodes.DONE;
        } catch (Exception e) {
            err.println("granter: " + Messages.oneLine(e));
            return ExitCodes.RESUMABLE;
        }
    }
}
