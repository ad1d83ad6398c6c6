package io.qualgranter.job;

import java.util.List;

/**
 * Start-up: Spring Batch records Java Flight Recorder events (job launch, job, step, tasklet, chunk). The
 * first time the JVM loads an event class it initialises the JDK's event machinery and generates a
 * handler for the class, recording or not: tens of milliseconds at the moment the job is launched.
 * Loading the classes on the start-up thread, while the context is created, takes that off the way to
 * the first API call. A class this Spring Batch version does not have is skipped.
 */
public final class BatchEventsWarmUp {

    private static final String EVENTS = "org.springframework.batch.core.observability.jfr.events.";
    private static final List<String> CLASSES = List.of(
            "job.JobLaunchEvent", "job.JobExecutionEvent", "step.StepExecutionEvent",
            "step.tasklet.TaskletExecutionEvent", "step.chunk.ChunkTransactionEvent", "step.chunk.ItemReadEvent",
            "step.chunk.ItemProcessEvent", "step.chunk.ChunkWriteEvent");

    private BatchEventsWarmUp() {
    }

    public static void run() {
        ClassLoader loader = BatchEventsWarmUp.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(EVENTS + name, true, loader);
            } catch (ClassNotFoundException | LinkageError skipped) {
                // another Spring Batch version: nothing to warm up for this one
            }
        }
    }
}
