package io.qualgranter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.qualgranter.GranterApplication;
import io.qualgranter.job.GrantJobConfiguration;
import io.qualgranter.job.GrantRunner;
import io.qualgranter.job.LeaseHolder;
import io.qualgranter.job.RunLease;
import io.qualgranter.job.RunParameters;
import io.qualgranter.row.Outcome;
import io.qualgranter.report.OutcomeCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code granter status}: recent runs from the job repository, newest first, one line per
 * execution: a resumed run shows each of its executions, with a note for executions that were
 * recovered after their process died, abandoned, or are in progress (and whether their process is alive).
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "List recent runs from the job repository.")
public class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "how many runs (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ConfigurableApplicationContext context = GranterApplication.start()) {
            JobRepository repository = context.getBean(JobRepository.class);
            List<JobInstance> instances = repository.getJobInstances(GrantJobConfiguration.JOB_NAME, 0, Math.max(limit, 1));
            if (instances.isEmpty()) {
                out.println("No runs yet.");
                return 0;
            }
            RunLease leases = context.getBean(RunLease.class);
            List<LeaseHolder> holders = leases.holders();
            out.printf("%-5s %-6s %-10s %-20s %-20s %-40s %s%n", "run", "exec", "status", "start", "end", "input", "counts");
            for (JobInstance instance : instances) {
                for (JobExecution execution : repository.getJobExecutions(instance)) {
                    String note = note(execution, holders, leases);
                    out.printf("%-5d %-6d %-10s %-20s %-20s %-40s %s%s%n", instance.getInstanceId(), execution.getId(),
                            execution.getStatus(), time(execution.getStartTime()), time(execution.getEndTime()),
                            inputName(execution), counts(OutcomeCounts.from(execution.getExecutionContext())),
                            note.isEmpty() ? "" : "  [" + note + "]");
                }
            }
            out.flush();
            return 0;
        }
    }

    /** Recovered, abandoned, or in progress (alive or not): what an operator needs to know about an execution. */
    private static String note(JobExecution execution, List<LeaseHolder> holders, RunLease leases) {
        if (execution.getStatus() == BatchStatus.ABANDONED) {
            return "abandoned";
        }
        String exit = execution.getExitStatus().getExitDescription();
        if (exit != null && exit.startsWith(GrantRunner.RECOVERED)) {
            return exit;
        }
        if (execution.getStatus().isRunning()) {
            for (LeaseHolder holder : holders) {
                if (holder.jobExecutionId() != null && holder.jobExecutionId() == execution.getId()) {
                    return holder.alive(leases.host(), leases.timeout())
                            ? "in progress on host " + holder.hostName() + ", pid " + holder.pid()
                            : "its process is gone (host " + holder.hostName() + ", pid " + holder.pid()
                                    + "): the same grant command recovers and resumes it";
                }
            }
            return "no process holds it: the same grant command recovers and resumes it";
        }
        return "";
    }

    private static String inputName(JobExecution execution) {
        String path = execution.getJobParameters().getString(RunParameters.INPUT_PATH, "");
        String mode = execution.getJobParameters().getString(RunParameters.MODE, "");
        String name = path.isEmpty() ? "?" : Path.of(path).getFileName().toString();
        return RunParameters.MODE_DRY_RUN.equals(mode) ? name + " (dry run)" : name;
    }

    private static String counts(OutcomeCounts counts) {
        StringBuilder text = new StringBuilder();
        for (Outcome outcome : Outcome.values()) {
            if (counts.get(outcome) > 0) {
                text.append(text.isEmpty() ? "" : " ").append(outcome).append('=').append(counts.get(outcome));
            }
        }
        return text.isEmpty() ? "-" : text.toString();
    }

    private static String time(Object time) {
        return time == null ? "-" : time.toString().replace('T', ' ').replaceAll("\\.\\d+$", "");
    }
}
