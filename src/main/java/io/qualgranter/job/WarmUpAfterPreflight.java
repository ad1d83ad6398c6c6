package io.qualgranter.job;

import io.qualgranter.validation.ValidateInputTasklet;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/** Once the preflight has passed, lets the run warm its send path while it plans (see {@link RunServices#warmUpSendPath}). */
record WarmUpAfterPreflight(RunServices services) implements StepExecutionListener {

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (ExitStatus.COMPLETED.getExitCode().equals(stepExecution.getExitStatus().getExitCode())) {
            services.warmUpSendPath(stepExecution.getJobExecution().getExecutionContext()
                    .getLong(ValidateInputTasklet.ROWS_TOTAL, 0L));
        }
        return null;
    }
}
