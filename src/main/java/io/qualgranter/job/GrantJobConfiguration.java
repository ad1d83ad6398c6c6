package io.qualgranter.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.qualgranter.grant.AdaptiveRate;
import io.qualgranter.grant.GrantSender;
import io.qualgranter.grant.GrantWriter;
import io.qualgranter.grant.MTurkClientFactory;
import io.qualgranter.grant.MTurkGateway;
import software.amazon.awssdk.services.mturk.MTurkClient;
import io.qualgranter.grant.WrongEnvironmentBreaker;
import io.qualgranter.input.GrantInput;
import io.qualgranter.input.GrantRowReader;
import io.qualgranter.input.TypeReferences;
import io.qualgranter.ledger.GrantLedger;
import io.qualgranter.ledger.RerunGuard;
import io.qualgranter.pending.PendingRequestsMode;
import io.qualgranter.pending.PendingRequestsTasklet;
import io.qualgranter.preflight.PreflightTasklet;
import io.qualgranter.preflight.ResolvedTypes;
import io.qualgranter.preflight.Target;
import io.qualgranter.progress.ProgressListener;
import io.qualgranter.report.OutcomeJournal;
import io.qualgranter.report.ReportTasklet;
import io.qualgranter.validation.GrantRowProcessor;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.validation.RowValidator;
import io.qualgranter.validation.ValidateInputTasklet;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The grant job: validate the whole file, then grant row by row in chunks, then write the report.
 *
 * <pre>
 *   validate  (tasklet)  file → every row validated; stops before any call if --max-invalid is exceeded
 *   preflight (tasklet)  credentials, endpoint, every type exists/Active/owned; website names → ids (every execution)
 *   grantRows (chunks)   GrantRowReader → GrantRowProcessor → GrantWriter → MTurk + outcome journal,
 *                        in slices of at most chunk-size calls (SliceReader, SliceWriter)
 *   pending   (tasklet)  pending qualification requests of the workers granted: report / reject
 *   report    (tasklet)  final journal → report CSV + counts
 * </pre>
 * Step-scoped beans read the run's settings from the job parameters ({@link RunSettings}).
 */
@Configuration
@EnableConfigurationProperties(GranterProperties.class)
public class GrantJobConfiguration {

    public static final String JOB_NAME = "grant";
    public static final String PREFLIGHT_STEP = "preflight";
    public static final String VALIDATE_STEP = "validate";
    public static final String GRANT_STEP = "grantRows";
    public static final String PENDING_STEP = "pendingRequests";
    public static final String REPORT_STEP = "report";

    /** Spring Batch's tables, created on first use (in place of Spring Boot's initializer, see BatchSchema). */
    @Bean
    public BatchSchema batchSchema(DataSource dataSource, BatchJdbcProperties properties) {
        return new BatchSchema(dataSource, properties);
    }

    @Bean
    public Job grantJob(JobRepository jobRepository, Step preflightStep, Step validateStep, Step grantStep,
                        Step pendingRequestsStep, Step reportStep, RunControl runControl) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(runControl)
                .start(validateStep)
                .next(preflightStep)
                .next(grantStep)
                .next(pendingRequestsStep)
                .next(reportStep)
                .build();
    }

    /**
     * Runs on every execution, a resumed one too: credentials may have changed since, and the website
     * file's names are resolved again into this execution's context.
     */
    @Bean
    public Step preflightStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                              PreflightTasklet preflightTasklet) {
        return new StepBuilder(PREFLIGHT_STEP, jobRepository).tasklet(preflightTasklet, transactionManager)
                .allowStartIfComplete(true).build();
    }

    @Bean
    public Step pendingRequestsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                    PendingRequestsTasklet pendingRequestsTasklet) {
        return new StepBuilder(PENDING_STEP, jobRepository).tasklet(pendingRequestsTasklet, transactionManager).build();
    }

    @Bean
    public Step validateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                             ValidateInputTasklet validateInputTasklet) {
        return new StepBuilder(VALIDATE_STEP, jobRepository).tasklet(validateInputTasklet, transactionManager).build();
    }

    @Bean
    public Step grantStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                          SliceReader sliceReader, GrantWriter grantWriter,
                          ProgressListener progressListener) {
        return new StepBuilder(GRANT_STEP, jobRepository)
                .<List<PlannedRow>, List<PlannedRow>>chunk(1) // one slice per chunk, see SliceReader
                .transactionManager(transactionManager)
                .reader(sliceReader)
                .writer(new SliceWriter(grantWriter))
                .listener(progressListener)
                .build();
    }

    /** Progress of the grant step: a bar on a terminal, else a line every granter.progress-interval. */
    @Bean
    public ProgressListener progressListener(@Value("${granter.progress-interval:10s}") Duration interval,
                                             @Value("${granter.log-format:text}") String logFormat) {
        return new ProgressListener(interval,
                ProgressListener.displayFor("json".equals(logFormat), System.console() != null), System.err);
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
        return new ValidateInputTasklet(GrantInput.of(run.input()), run.inputSha256(), new RowValidator(run.defaults()),
                run.maxInvalid(), run.dryRun());
    }

    @Bean
    @StepScope
    public PreflightTasklet preflightTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                             JobRepository jobRepository, GranterProperties properties) {
        RunSettings run = settings(stepExecution);
        JobExecution job = stepExecution.getJobExecution();
        return new PreflightTasklet(
                () -> TypeReferences.from(jobRepository.getLastStepExecution(job.getJobInstance(), VALIDATE_STEP)
                        .getExecutionContext()),
                run.dryRun(), new Target(run.endpoint()),
                () -> MTurkClientFactory.create(run.endpoint(), properties.retry(), 1));
    }

    @Bean
    @StepScope
    public PendingRequestsTasklet pendingRequestsTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                                         JobRepository jobRepository, GranterProperties properties) {
        RunSettings run = settings(stepExecution);
        JobExecution job = stepExecution.getJobExecution();
        return new PendingRequestsTasklet(run.dryRun() ? PendingRequestsMode.IGNORE : run.pendingRequests(),
                ResolvedTypes.from(job.getExecutionContext()).typeIds(),
                () -> {
                    StepExecution grant = jobRepository.getLastStepExecution(job.getJobInstance(), GRANT_STEP);
                    return OutcomeJournal.committedBy(grant.getExecutionContext(), runDirectory(properties, stepExecution),
                            grant.getId());
                },
                PendingRequestsTasklet.fileFor(run.report()),
                () -> MTurkClientFactory.create(run.endpoint(), properties.retry(), 1));
    }

    /**
     * The reader and the processor are plain objects inside it: no step-scope proxy on the per-row path.
     * The ledger settles the planned rows a block at a time, before they are cut into chunks (with a
     * client of its own for the in-doubt checks; none in a dry run, which makes no call), from the
     * types' granted pairs held in memory when they fit in {@code granter.ledger-memory} bytes (default:
     * a quarter of the heap).
     */
    @Bean
    @StepScope
    public SliceReader sliceReader(@Value("#{stepExecution}") StepExecution stepExecution, GranterProperties properties,
                                   DataSource dataSource, PlatformTransactionManager transactionManager,
                                   RunControl runControl, @Value("${granter.ledger-memory:-1}") long ledgerMemory) {
        RunSettings run = settings(stepExecution);
        MTurkClient client = run.dryRun() ? null : MTurkClientFactory.create(run.endpoint(), properties.retry(), 1);
        MTurkGateway checks = client == null ? null
                : new MTurkGateway(client, client, properties.retry(), runControl::stopRequested);
        RerunGuard guard = new RerunGuard(new GrantLedger(new JdbcTemplate(dataSource), transactionManager),
                run.endpoint().toString(), stepExecution.getJobExecutionId(), run.force(), checks,
                runControl::stopRequested, ledgerMemory >= 0 ? ledgerMemory : Runtime.getRuntime().maxMemory() / 4);
        return new SliceReader(grantRowReader(stepExecution), grantRowProcessor(stepExecution, properties),
                properties.chunkSize(), properties.maxChunkRows(), guard::settle, () -> {
                    guard.close();
                    if (checks != null) {
                        checks.close();
                    }
                });
    }

    private static GrantRowReader grantRowReader(StepExecution stepExecution) {
        return new GrantRowReader(input(stepExecution), settings(stepExecution).inputSha256());
    }

    private static GrantRowProcessor grantRowProcessor(StepExecution stepExecution, GranterProperties properties) {
        RunSettings run = settings(stepExecution);
        return new GrantRowProcessor(new RowValidator(run.defaults()), run.dryRun(), run.carriedFrom(),
                runDirectory(properties, stepExecution), stepExecution.getId());
    }

    @Bean
    @StepScope
    public GrantWriter grantWriter(@Value("#{stepExecution}") StepExecution stepExecution,
                                  GranterProperties properties,
                                  @Value("${granter.unknown-worker-limit:20}") int unknownWorkerLimit,
                                  DataSource dataSource, PlatformTransactionManager transactionManager,
                                  RunControl runControl, ProgressListener progressListener) {
        RunSettings run = settings(stepExecution);
        AdaptiveRate rate = run.dryRun() ? null : new AdaptiveRate(run.rate()); // shared by grants and checks
        MTurkGateway gateway = run.dryRun() ? null : new MTurkGateway(
                MTurkClientFactory.createForGrants(run.endpoint(), properties.retry(), run.concurrency(), rate),
                MTurkClientFactory.create(run.endpoint(), properties.retry(), run.concurrency(), rate),
                properties.retry(), runControl::stopRequested);
        GrantSender sender = gateway == null ? null : new GrantSender(gateway, run.concurrency(), properties.failureLimit());
        RerunGuard guard = new RerunGuard(new GrantLedger(new JdbcTemplate(dataSource), transactionManager),
                run.endpoint().toString(), stepExecution.getJobExecutionId(), run.force(), gateway,
                runControl::stopRequested);
        return new GrantWriter(progressListener.counting(OutcomeJournal.writer(runDirectory(properties, stepExecution),
                stepExecution.getId(), !run.dryRun())), sender, new WrongEnvironmentBreaker(unknownWorkerLimit, new Target(run.endpoint()).describe()),
                guard);
    }

    @Bean
    @StepScope
    public ReportTasklet reportTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                       JobRepository jobRepository, GranterProperties properties) {
        RunSettings run = settings(stepExecution);
        return new ReportTasklet(jobRepository, GRANT_STEP, runDirectory(properties, stepExecution), run.report(),
                run.dryRun() ? run.maxInvalid() : null);
    }

    /** The run's input, with the qualification names the preflight resolved (website worker file). */
    private static GrantInput input(StepExecution stepExecution) {
        ResolvedTypes resolved = ResolvedTypes.from(stepExecution.getJobExecution().getExecutionContext());
        return new GrantInput(settings(stepExecution).input(), resolved.idsByName());
    }

    private static RunSettings settings(StepExecution stepExecution) {
        return RunSettings.from(stepExecution.getJobParameters());
    }

    /** One directory per run (job instance) under $GRANTER_HOME/runs. */
    static Path runDirectory(GranterProperties properties, StepExecution stepExecution) {
        return properties.runsDirectory().resolve(Long.toString(stepExecution.getJobExecution().getJobInstance().getInstanceId()));
    }
}
