package io.qualgranter.job;

import java.nio.file.Path;

import io.qualgranter.grant.GrantSender;
import io.qualgranter.grant.GrantWriter;
import io.qualgranter.grant.MTurkClientFactory;
import io.qualgranter.grant.MTurkGateway;
import io.qualgranter.input.GrantRow;
import io.qualgranter.input.GrantRowReader;
import io.qualgranter.report.OutcomeJournal;
import io.qualgranter.report.ReportTasklet;
import io.qualgranter.validation.GrantRowProcessor;
import io.qualgranter.validation.PlannedRow;
import io.qualgranter.validation.RowValidator;
import io.qualgranter.validation.ValidateInputTasklet;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The grant job: validate the whole file, then grant row by row in chunks, then write the report.
 *
 * <pre>
 *   validate  (tasklet)  file → every row validated; stops before any call if --max-invalid is exceeded
 *   grantRows (chunks)   GrantRowReader → GrantRowProcessor → GrantWriter → MTurk + outcome journal
 *   report    (tasklet)  final journal → report CSV + counts
 * </pre>
 * Step-scoped beans read the run's settings from the job parameters ({@link RunSettings}).
 */
@Configuration
@EnableConfigurationProperties(GranterProperties.class)
public class GrantJobConfiguration {

    public static final String JOB_NAME = "grant";
    public static final String VALIDATE_STEP = "validate";
    public static final String GRANT_STEP = "grantRows";
    public static final String REPORT_STEP = "report";

    @Bean
    public Job grantJob(JobRepository jobRepository, Step validateStep, Step grantStep, Step reportStep) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .start(validateStep)
                .next(grantStep)
                .next(reportStep)
                .build();
    }

    @Bean
    public Step validateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                             ValidateInputTasklet validateInputTasklet) {
        return new StepBuilder(VALIDATE_STEP, jobRepository).tasklet(validateInputTasklet, transactionManager).build();
    }

    @Bean
    public Step grantStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                          GranterProperties properties, GrantRowReader grantRowReader,
                          GrantRowProcessor grantRowProcessor, GrantWriter grantWriter) {
        return new StepBuilder(GRANT_STEP, jobRepository)
                .<GrantRow, PlannedRow>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(grantRowReader)
                .processor(grantRowProcessor)
                .writer(grantWriter)
                .build();
    }

    @Bean
    public Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                           ReportTasklet reportTasklet) {
        return new StepBuilder(REPORT_STEP, jobRepository).tasklet(reportTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public ValidateInputTasklet validateInputTasklet(@Value("#{stepExecution}") StepExecution stepExecution) {
        RunSettings run = settings(stepExecution);
        return new ValidateInputTasklet(run.input(), new RowValidator(run.defaults()), run.maxInvalid());
    }

    @Bean
    @StepScope
    public GrantRowReader grantRowReader(@Value("#{stepExecution}") StepExecution stepExecution) {
        return new GrantRowReader(settings(stepExecution).input());
    }

    @Bean
    @StepScope
    public GrantRowProcessor grantRowProcessor(@Value("#{stepExecution}") StepExecution stepExecution,
                                               GranterProperties properties) {
        RunSettings run = settings(stepExecution);
        return new GrantRowProcessor(new RowValidator(run.defaults()), run.dryRun(), run.carriedFrom(),
                runDirectory(properties, stepExecution), stepExecution.getId());
    }

    @Bean
    @StepScope
    public GrantWriter grantWriter(@Value("#{stepExecution}") StepExecution stepExecution,
                                  GranterProperties properties) {
        RunSettings run = settings(stepExecution);
        GrantSender sender = run.dryRun() ? null : new GrantSender(
                new MTurkGateway(MTurkClientFactory.create(run.endpoint(), properties.retry(), run.concurrency())),
                run.rate(), properties.failureLimit());
        return new GrantWriter(OutcomeJournal.writer(runDirectory(properties, stepExecution), stepExecution.getId()),
                sender);
    }

    @Bean
    @StepScope
    public ReportTasklet reportTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                       JobRepository jobRepository, GranterProperties properties) {
        return new ReportTasklet(jobRepository, GRANT_STEP, runDirectory(properties, stepExecution),
                settings(stepExecution).report());
    }

    private static RunSettings settings(StepExecution stepExecution) {
        return RunSettings.from(stepExecution.getJobParameters());
    }

    /** One directory per run (job instance) under $GRANTER_HOME/runs. */
    static Path runDirectory(GranterProperties properties, StepExecution stepExecution) {
        return properties.runsDirectory().resolve(Long.toString(stepExecution.getJobExecution().getJobInstance().getInstanceId()));
    }
}
