package io.qualgranter.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.qualgranter.grant.GrantWriter;
import io.qualgranter.grant.WrongEnvironmentBreaker;
import io.qualgranter.holders.ListHoldersTasklet;
import io.qualgranter.input.GrantInput;
import io.qualgranter.input.GrantRowReader;
import io.qualgranter.input.TypeReferences;
import io.qualgranter.ledger.GrantLedger;
import io.qualgranter.ledger.RepositoryDatabase;
import io.qualgranter.ledger.RerunGuard;
import io.qualgranter.pending.ListBesideASingleGrant;
import io.qualgranter.pending.PendingRequestsMode;
import io.qualgranter.pending.PendingRequestsTasklet;
import io.qualgranter.preflight.PreflightTasklet;
import io.qualgranter.preflight.ResolvedTypes;
import io.qualgranter.preflight.Target;
import io.qualgranter.progress.ProgressListener;
import io.qualgranter.report.PlanWriter;
import io.qualgranter.report.ReportTasklet;
import io.qualgranter.report.RowsToGrant;
import io.qualgranter.report.RunOutcomes;
import io.qualgranter.row.GrantRow;
import io.qualgranter.row.Outcome;
import io.qualgranter.row.OutcomeCursor;
import io.qualgranter.row.PlannedRow;
import io.qualgranter.row.RowOutcome;
import io.qualgranter.validation.GrantRowProcessor;
import io.qualgranter.validation.RowValidator;
import io.qualgranter.validation.ValidateInputTasklet;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The grant job: a reader streams rows, a processor validates them and skips duplicates, a rate-limited
 * writer calls AssociateQualificationWithWorker, with restartable checkpoints in the job repository.
 *
 * <pre>
 *   validate  (tasklet)  file → every row validated; stops before any call if --max-invalid is exceeded
 *   preflight (tasklet)  credentials, endpoint, every type exists/Active/owned; website names → ids (every execution);
 *                        once passed, a fast run warms its send path off the service meanwhile (WarmUpAfterPreflight)
 *   plan      (chunks of granter.max-chunk-rows rows)  GrantRowReader → GrantRowProcessor → PlanWriter:
 *                        every row settled (INVALID, DUPLICATE, carried over, ALREADY_GRANTED by the ledger,
 *                        WOULD_GRANT) or queued for a call, in the run's state (RunOutcomes); no call
 *   grant     (chunks of granter.chunk-size rows)  RowsToGrant → GrantWriter → MTurk; outcomes into the run's state
 *                        (one row to grant: the pending requests are listed beside it, ListBesideASingleGrant)
 *   pending   (tasklet)  pending qualification requests of the workers granted: report / reject (none granted: no call)
 *   report    (tasklet)  the run's state → report CSV + counts
 * </pre>
 * Every row's outcome is committed to the job repository with the checkpoint of the chunk that produced
 * it; files under $GRANTER_HOME are outputs (report, logs) or scratch. The run's settings and MTurk
 * clients come from one job-scoped {@link RunServices}.
 */
@Configuration
@EnableConfigurationProperties(GranterProperties.class)
public class GrantJobConfiguration {

    public static final String JOB_NAME = "grant";
    public static final String PREFLIGHT_STEP = "preflight";
    public static final String VALIDATE_STEP = "validate";
    public static final String PLAN_STEP = "plan";
    public static final String HOLDERS_STEP = "listHolders";
    public static final String GRANT_STEP = "grantRows";
    public static final String PENDING_STEP = "pendingRequests";
    public static final String REPORT_STEP = "report";

    /** Spring Batch's tables, created on first use (in place of Spring Boot's initializer, see BatchSchema). */
    @Bean
    public BatchSchema batchSchema(DataSource dataSource, BatchJdbcProperties properties) {
        return new BatchSchema(dataSource, properties);
    }

    @Bean
    public Job grantJob(JobRepository jobRepository, Step validateStep, Step preflightStep, Step planStep,
                        Step listHoldersStep, Step grantStep, Step pendingRequestsStep, Step reportStep,
                        RunControl runControl) {
        return new JobBuilder(JOB_NAME, jobRepository)
                .listener(runControl)
                .start(validateStep)
                .next(preflightStep)
                .next(planStep)
                .next(listHoldersStep)
                .next(grantStep)
                .next(pendingRequestsStep)
                .next(reportStep)
                .build();
    }

    @Bean
    public Step validateStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                             ValidateInputTasklet validateInputTasklet) {
        return new StepBuilder(VALIDATE_STEP, jobRepository).tasklet(validateInputTasklet, transactionManager).build();
    }

    /**
     * Runs on every execution, a resumed one too: credentials may have changed since, and the website
     * file's names are resolved again into this execution's context.
     */
    @Bean
    public Step preflightStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                              PreflightTasklet preflightTasklet, RunServices services) {
        return new StepBuilder(PREFLIGHT_STEP, jobRepository).tasklet(preflightTasklet, transactionManager)
                .listener(new WarmUpAfterPreflight(services))
                .allowStartIfComplete(true).build();
    }

    /**
     * Rows that need no call pass here in large chunks; the rest are queued for the grant step. Job-scoped,
     * so that its reader, processor and writer are plain objects: no scoped proxy on the per-row path.
     */
    @Bean
    @JobScope
    public Step planStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                         GranterProperties properties, RunServices services, RunOutcomes outcomes, DataSource dataSource,
                         RunControl runControl, ProgressListener progress,
                         @Value("${granter.ledger-memory:-1}") long ledgerMemory) {
        RunSettings run = services.settings();
        JobExecution job = currentJob();
        long instance = job.getJobInstance().getInstanceId();
        Long carried = run.carriedFrom();
        GrantRowReader reader = new GrantRowReader(
                () -> new GrantInput(run.input(), ResolvedTypes.from(job.getExecutionContext()).idsByName()),
                run.inputSha256());
        // a dry run that plans against the service queues its rows, as a real run does, for the holder listing
        GrantRowProcessor processor = new GrantRowProcessor(new RowValidator(run.defaults()),
                run.dryRun() && !run.plansAgainstService(),
                () -> carried == null ? OutcomeCursor.EMPTY : outcomes.read(carried),
                () -> outcomes.plannedItems(instance),
                properties.runsDirectory().resolve(Long.toString(instance)).resolve("dedup-" + job.getId() + ".keys"));
        // settles what the ledger knows, with no call (rows in doubt go on to the grant step, which checks
        // them); the types' granted pairs are held in memory when they fit in granter.ledger-memory bytes
        // (default: a quarter of the heap)
        RerunGuard guard = new RerunGuard(new GrantLedger(new JdbcTemplate(dataSource), transactionManager),
                run.endpoint().toString(), job.getId(), run.force(), null, runControl::stopRequested,
                ledgerMemory >= 0 ? ledgerMemory : Runtime.getRuntime().maxMemory() / 4);
        PlanWriter writer = new PlanWriter(outcomes, instance, job.getId(), guard::settle,
                row -> progress.count(row.outcome()), guard);
        return new StepBuilder(PLAN_STEP, jobRepository)
                .<GrantRow, PlannedRow>chunk(Math.max(properties.maxChunkRows(), 1))
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .listener(progress)
                .build();
    }

    /**
     * One chunk: one transaction, one checkpoint, {@link #grantChunkRows} calls. Job-scoped, as the plan
     * step, which is also what lets the chunk size follow the run's --rate.
     */
    @Bean
    @JobScope
    public Step grantStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                          GranterProperties properties, RunServices services, RunOutcomes outcomes, DataSource dataSource,
                          RunControl runControl, ProgressListener progress,
                          @Value("${granter.unknown-worker-limit:20}") int unknownWorkerLimit, RunLease runLease,
                          @Value("${granter.claim-wait:60s}") Duration claimWait,
                          @Value("${granter.chunk-seconds:0}") double chunkSeconds) {
        long instance = currentJob().getJobInstance().getInstanceId();
        int chunkRows = grantChunkRows(properties, services.settings().rate(), chunkSeconds);
        return new StepBuilder(GRANT_STEP, jobRepository)
                .<PlannedRow, PlannedRow>chunk(chunkRows)
                .transactionManager(transactionManager)
                .reader(new RowsToGrant(outcomes, instance, chunkRows))
                .writer(grantWriter(services, outcomes, instance, unknownWorkerLimit, dataSource, transactionManager,
                        runControl, progress, runLease, claimWait))
                .listener(progress)
                .listener(new ListBesideASingleGrant(pendingMode(services.settings()),
                        () -> outcomes.waitingByType(instance).values().stream().mapToLong(Long::longValue).sum(),
                        services.pendingListing(), services::newClient))
                .build();
    }

    /** Who already holds the run's types at the service: rows they settle need no call (see ListHoldersTasklet). */
    @Bean
    public Step listHoldersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                ListHoldersTasklet listHoldersTasklet) {
        return new StepBuilder(HOLDERS_STEP, jobRepository).tasklet(listHoldersTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    public ListHoldersTasklet listHoldersTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                                 RunServices services, RunOutcomes outcomes, DataSource dataSource,
                                                 PlatformTransactionManager transactionManager, RunControl runControl) {
        RunSettings run = services.settings();
        GrantLedger ledger = new GrantLedger(new JdbcTemplate(dataSource), transactionManager);
        String endpoint = run.endpoint().toString();
        return new ListHoldersTasklet(run.holders(), endpoint, instanceOf(stepExecution),
                stepExecution.getJobExecution().getId(), outcomes, run.dryRun() ? null : ledger,
                (type, enough) -> ledger.holdersUpTo(endpoint, type, enough), services::newClient,
                runControl::checkLeaseHeld);
    }

    /**
     * The grant step's chunk: {@code granter.chunk-seconds} of calls at --rate, at least
     * {@code granter.chunk-size} and at most {@code granter.max-chunk-rows} rows (0 seconds: chunk-size).
     * Sending pauses at every chunk's end (its slowest call, the commit, the next chunk's read), so a
     * chunk of a fixed number of rows cost a fixed share of a second-long chunk at a high rate; sized by
     * time the pause is a small share at any rate. Crash safety is unchanged: after a kill at most one
     * chunk of calls is in doubt, checked with GetQualificationScore (at the rate) before it is sent again.
     */
    static int grantChunkRows(GranterProperties properties, double rate, double chunkSeconds) {
        int least = Math.max(properties.chunkSize(), 1);
        if (!(chunkSeconds > 0)) {
            return least;
        }
        long byTime = (long) Math.ceil(rate * chunkSeconds);
        return (int) Math.max(least, Math.min(byTime, Math.max(properties.maxChunkRows(), least)));
    }

    @Bean
    public Step pendingRequestsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                                    PendingRequestsTasklet pendingRequestsTasklet) {
        return new StepBuilder(PENDING_STEP, jobRepository).tasklet(pendingRequestsTasklet, transactionManager).build();
    }

    @Bean
    public Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
                           ReportTasklet reportTasklet) {
        return new StepBuilder(REPORT_STEP, jobRepository).tasklet(reportTasklet, transactionManager).build();
    }

    /** Progress of the plan and grant steps: a bar on a terminal, else a line every granter.progress-interval. */
    @Bean
    public ProgressListener progressListener(@Value("${granter.progress-interval:10s}") Duration interval,
                                             @Value("${granter.log-format:text}") String logFormat) {
        return new ProgressListener(interval,
                ProgressListener.displayFor("json".equals(logFormat), System.console() != null), System.err);
    }

    @Bean
    public RunOutcomes runOutcomes(DataSource dataSource) {
        return new RunOutcomes(new JdbcTemplate(dataSource), RepositoryDatabase.isPostgres(dataSource));
    }

    /** The run's settings and MTurk clients, built once per job execution and closed at its end. */
    @Bean
    @JobScope
    public RunServices runServices(GranterProperties properties, RunControl runControl) {
        return new RunServices(RunSettings.from(currentJob().getJobParameters()), properties, runControl);
    }

    @Bean
    @StepScope
    public ValidateInputTasklet validateInputTasklet(RunServices services) {
        RunSettings run = services.settings();
        return new ValidateInputTasklet(GrantInput.of(run.input()), run.inputSha256(), new RowValidator(run.defaults()),
                run.maxInvalid(), run.dryRun());
    }

    @Bean
    @StepScope
    public PreflightTasklet preflightTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                             JobRepository jobRepository, RunServices services) {
        RunSettings run = services.settings();
        JobExecution job = stepExecution.getJobExecution();
        return new PreflightTasklet(
                () -> TypeReferences.from(jobRepository.getLastStepExecution(job.getJobInstance(), VALIDATE_STEP)
                        .getExecutionContext()),
                run.dryRun() && !run.plansAgainstService(), new Target(run.endpoint()), services::newClient);
    }

    /** The grant step's writer: calls through the run's sender; none in a dry run, which queues no row. */
    private static ItemWriter<PlannedRow> grantWriter(RunServices services, RunOutcomes outcomes, long instance,
                                                      int unknownWorkerLimit, DataSource dataSource,
                                                      PlatformTransactionManager transactionManager, RunControl runControl,
                                                      ProgressListener progress, RunLease runLease, Duration claimWait) {
        RunSettings run = services.settings();
        if (run.dryRun()) {
            // only a dry run that plans against the service queues rows: those the holders did not settle would be granted
            return chunk -> {
                List<RowOutcome> recorded = new ArrayList<>(chunk.size());
                for (PlannedRow row : chunk) {
                    recorded.add(row.settle(Outcome.WOULD_GRANT, row.detail()));
                }
                outcomes.record(instance, recorded);
                recorded.forEach(row -> progress.count(row.outcome()));
            };
        }
        RerunGuard guard = new RerunGuard(new GrantLedger(new JdbcTemplate(dataSource), transactionManager),
                run.endpoint().toString(), currentJob().getId(), run.force(), services.gateway(),
                runControl::stopRequested)
                .claimsAgainst(execution -> runLease.liveHolderOf(execution).isPresent(), claimWait);
        return new GrantWriter(services.sender(),
                new WrongEnvironmentBreaker(unknownWorkerLimit, new Target(run.endpoint()).describe()), guard,
                recorded -> {
                    outcomes.record(instance, recorded);
                    for (RowOutcome row : recorded) {
                        progress.count(row.outcome());
                    }
                }, runControl::checkLeaseHeld);
    }

    @Bean
    @StepScope
    public PendingRequestsTasklet pendingRequestsTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
                                                         RunServices services, RunOutcomes outcomes) {
        RunSettings run = services.settings();
        long instance = instanceOf(stepExecution);
        return new PendingRequestsTasklet(pendingMode(run),
                ResolvedTypes.from(stepExecution.getJobExecution().getExecutionContext()).typeIds(),
                () -> outcomes.anyGranted(instance), () -> outcomes.granted(instance),
                PendingRequestsTasklet.fileFor(run.report()), services::newClient,
                services.pendingListing());
    }

    /** --pending-requests; a dry run makes no call. */
    private static PendingRequestsMode pendingMode(RunSettings run) {
        return run.dryRun() ? PendingRequestsMode.IGNORE : run.pendingRequests();
    }

    @Bean
    @StepScope
    public ReportTasklet reportTasklet(RunServices services, RunOutcomes outcomes) {
        RunSettings run = services.settings();
        return new ReportTasklet(outcomes, run.report(), run.dryRun() ? run.maxInvalid() : null);
    }

    private static JobExecution currentJob() {
        return JobSynchronizationManager.getContext().getJobExecution();
    }

    private static long instanceOf(StepExecution stepExecution) {
        return stepExecution.getJobExecution().getJobInstance().getInstanceId();
    }

}
