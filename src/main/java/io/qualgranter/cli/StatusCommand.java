package io.qualgranter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.qualgranter.GranterApplication;
import io.qualgranter.job.GrantJobConfiguration;
import io.qualgranter.job.RunParameters;
import io.qualgranter.report.Outcome;
import io.qualgranter.report.OutcomeCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code granter status}: recent runs from the job repository, newest first. */
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
            out.printf("%-5s %-6s %-10s %-20s %-20s %-40s %s%n", "run", "exec", "status", "start", "end", "input", "counts");
            for (JobInstance instance : instances) {
                JobExecution last = repository.getLastJobExecution(instance);
                if (last != null) {
                    out.printf("%-5d %-6d %-10s %-20s %-20s %-40s %s%n", instance.getInstanceId(), last.getId(),
                            last.getStatus(), time(last.getStartTime()), time(last.getEndTime()),
                            inputName(last), counts(OutcomeCounts.from(last.getExecutionContext())));
                }
            }
            out.flush();
            return 0;
        }
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
