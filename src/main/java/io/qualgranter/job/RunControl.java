package io.qualgranter.job;

import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * The running execution of this process and the request to stop it gracefully (SIGTERM, Ctrl-C, a
 * lost lease): once asked, no new call is sent (the gateway checks {@link #stopRequested()}), calls
 * in flight finish and their chunk commits, and the step stops at the chunk boundary: STOPPED.
 */
@Component
public class RunControl implements JobExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(RunControl.class);

    private final AtomicReference<JobExecution> current = new AtomicReference<>();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private volatile RunLease.Lease lease;

    /** A new command begins: forget any earlier stop request; the execution it starts will hold this lease. */
    public void begin(RunLease.Lease heldLease) {
        stopReason.set(null);
        current.set(null);
        lease = heldLease;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        current.set(jobExecution);
        RunLease.Lease held = lease;
        if (held != null) {
            held.attach(jobExecution.getId());
        }
        if (stopReason.get() != null) {
            stopExecution(jobExecution);
        }
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        current.set(null);
    }

    /** Before each chunk's calls: throws {@link LeaseLostException} unless this process still holds its lease. */
    public void checkLeaseHeld() {
        RunLease.Lease held = lease;
        if (held != null) {
            held.verifyHeld();
        }
    }

    public boolean stopRequested() {
        return stopReason.get() != null;
    }

    /** Why the run was asked to stop, or null. */
    public String stopReason() {
        return stopReason.get();
    }

    /** Asks the running execution to stop: no new calls; it ends STOPPED at the next chunk boundary. */
    public void requestStop(String reason) {
        if (!stopReason.compareAndSet(null, reason)) {
            return;
        }
        log.warn("Stop requested ({}): finishing the calls in flight", reason);
        JobExecution execution = current.get();
        if (execution != null) {
            stopExecution(execution);
        }
    }

    private void stopExecution(JobExecution execution) {
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setTerminateOnly();
            }
        }
        // not JobOperator.stop: it also stops the chunk step itself, under the chunk being written;
        // the step sees terminateOnly at the chunk boundary, the job STOPPING
        // before its next step
        if (execution.getStatus() == BatchStatus.STARTED || execution.getStatus() == BatchStatus.STARTING) {
            execution.setStatus(BatchStatus.STOPPING);
        }
    }
}
