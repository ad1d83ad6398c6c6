package io.qualgranter.holders;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongBiFunction;

import io.qualgranter.ledger.GrantLedger;
import io.qualgranter.ledger.RerunGuard;
import io.qualgranter.report.RunOutcomes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.ListWorkersWithQualificationTypeResponse;
import software.amazon.awssdk.services.mturk.model.Qualification;
import software.amazon.awssdk.services.mturk.model.QualificationStatus;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The step between the plan and the grants: asks the service who already holds each type the run still
 * has rows to call for ({@code ListWorkersWithQualificationType}, status Granted, 100 a page, through the
 * run's paced client), one page per transaction. A waiting row whose worker holds the same value is
 * settled ALREADY_GRANTED, detail {@value RerunGuard#HELD_AT_THE_SERVICE}: no call, no email; another
 * value is granted as usual (it changes). In a real run every holder listed also goes to the ledger, so
 * later runs need not ask.
 *
 * <p>A listing pays when its pages cost fewer calls than the rows they settle. The holders the ledger
 * already knows are a floor on their number: a type whose known holders fill more pages than it has
 * waiting rows is not listed (a rerun of a big file, whose earlier grants are in the ledger). Beyond
 * that the number is unknown before listing, so a type is listed for at most one page per
 * {@value #ROWS_PER_PAGE} of its waiting rows (at worst, a type with far more holders than rows, 10 %
 * more calls), and no more once none of its rows waits: a type with fewer waiting rows than that is
 * not listed. The log says why a type is not listed.
 *
 * <p>Each page's results commit with the step's context (the next page's token), so a resumed
 * execution goes on from the last page listed. A listing the service refuses or fails (after the
 * client's retries) ends that type's listing with a warning: its rows are granted as usual.
 */
public class ListHoldersTasklet implements Tasklet, AutoCloseable {

    /** Job context keys for the summary. */
    public static final String LISTED = "holders.listed";
    public static final String PAGES = "holders.pages";
    public static final String SETTLED = "holders.settled";
    /** Waiting rows per page a type may cost at most. */
    public static final int ROWS_PER_PAGE = 10;

    private static final Logger log = LoggerFactory.getLogger(ListHoldersTasklet.class);
    private static final String TYPES = "holders.types";
    private static final String INDEX = "holders.index";
    private static final String TOKEN = "holders.token";
    private static final String TYPE_PAGES = "holders.type.pages";
    private static final String TYPE_SETTLED = "holders.type.settled";

    private final HolderListing mode;
    private final String endpoint;
    private final long jobInstanceId;
    private final long jobExecutionId;
    private final RunOutcomes outcomes;
    private final GrantLedger ledger;
    private final ToLongBiFunction<String, Long> knownHolders;
    private final Supplier<MTurkClient> clients;
    private final Runnable beforeCall;
    private MTurkClient client;

    /**
     * @param mode   {@link HolderListing#OFF}: nothing is listed; {@link HolderListing#PLAN}: a dry run, whose
     *               listing settles its rows but writes nothing to the ledger
     * @param ledger       where a real run records the holders, or null (a dry run)
     * @param knownHolders how many holders of a type the ledger knows, counted up to the given number
     * @param beforeCall   runs before each page's call: the run proves it still holds its lease (as the grant
     *                     writer does before each chunk's calls), else it throws and nothing is listed
     */
    public ListHoldersTasklet(HolderListing mode, String endpoint, long jobInstanceId, long jobExecutionId,
                              RunOutcomes outcomes, GrantLedger ledger, ToLongBiFunction<String, Long> knownHolders,
                              Supplier<MTurkClient> clients, Runnable beforeCall) {
        this.mode = mode;
        this.endpoint = endpoint;
        this.jobInstanceId = jobInstanceId;
        this.jobExecutionId = jobExecutionId;
        this.outcomes = outcomes;
        this.ledger = ledger;
        this.knownHolders = knownHolders;
        this.clients = clients;
        this.beforeCall = beforeCall;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ExecutionContext step = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        ExecutionContext job = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        if (mode == HolderListing.OFF) {
            log.info("Not listing the types' holders at the service: turned off (--no-list-holders, --force, or a dry run"
                    + " without --plan-against-service)");
            return RepeatStatus.FINISHED;
        }
        if (!step.containsKey(TYPES)) {
            step.putString(TYPES, String.join(",", typesWorthListing()));
        }
        List<String> types = step.getString(TYPES).isEmpty() ? List.of() : List.of(step.getString(TYPES).split(","));
        int index = step.getInt(INDEX, 0);
        if (index >= types.size()) {
            return finished(step, job);
        }
        String[] typeAndBudget = types.get(index).split(":");
        String type = typeAndBudget[0];
        long budget = Long.parseLong(typeAndBudget[1]);
        String token = step.containsKey(TOKEN) ? step.getString(TOKEN) : null;
        long pages = step.getLong(TYPE_PAGES, 0L);
        long settled = step.getLong(TYPE_SETTLED, 0L);
        String endReason;
        beforeCall.run();
        try {
            ListWorkersWithQualificationTypeResponse page = client().listWorkersWithQualificationType(b -> b
                    .qualificationTypeId(type).status(QualificationStatus.GRANTED).maxResults(100).nextToken(token));
            Map<String, Integer> holders = new HashMap<>();
            for (Qualification q : page.qualifications()) {
                if (q.integerValue() != null && q.workerId() != null) {
                    holders.put(q.workerId(), q.integerValue());
                }
            }
            int settledNow = outcomes.settleHeld(jobInstanceId, type, holders, RerunGuard.HELD_AT_THE_SERVICE);
            if (ledger != null) {
                ledger.recordHolders(endpoint, type, holders, jobExecutionId);
            }
            pages++;
            settled += settledNow;
            add(step, PAGES, 1);
            add(step, LISTED, holders.size());
            add(step, SETTLED, settledNow);
            step.putLong(TYPE_PAGES, pages);
            step.putLong(TYPE_SETTLED, settled);
            if (page.nextToken() != null && pages < budget && settled < budget * ROWS_PER_PAGE) {
                step.putString(TOKEN, page.nextToken());
                return RepeatStatus.CONTINUABLE;
            }
            endReason = page.nextToken() == null ? "the whole list" : "the budget of " + budget + " page(s) spent";
        } catch (SdkException e) {
            log.warn("Listing the holders of {} stopped ({}): its remaining rows are granted as usual", type, e.getMessage());
            endReason = "a failed listing";
        }
        log.info("Holders of {}: {} page(s) listed ({}), {} row(s) settled as held at the service", type, pages,
                endReason, settled);
        step.remove(TOKEN);
        step.putLong(TYPE_PAGES, 0L);
        step.putLong(TYPE_SETTLED, 0L);
        step.putInt(INDEX, index + 1);
        return index + 1 < types.size() ? RepeatStatus.CONTINUABLE : finished(step, job);
    }

    /** The totals, kept in the step's context page by page (a resume goes on counting), go to the job's for the summary. */
    private static RepeatStatus finished(ExecutionContext step, ExecutionContext job) {
        for (String key : List.of(PAGES, LISTED, SETTLED)) {
            job.putLong(key, step.getLong(key, 0L));
        }
        return RepeatStatus.FINISHED;
    }

    /** "TYPE:BUDGET" for each type whose waiting rows pay for at least one page; the others are logged. */
    private List<String> typesWorthListing() {
        List<String> worth = new ArrayList<>();
        outcomes.waitingByType(jobInstanceId).forEach((type, waiting) -> {
            long budget = waiting / ROWS_PER_PAGE;
            long known = budget == 0 ? 0 : knownHolders.applyAsLong(type, waiting * 100);
            if (known / 100 >= waiting) {
                log.info("Not listing the holders of {}: the ledger already knows at least {} of them, {} page(s), more calls than"
                        + " the {} row(s) that wait for one", type, known, known / 100, waiting);
            } else if (budget == 0) {
                log.info("Not listing the holders of {}: {} row(s) wait for a call, fewer than the {} a listing page must"
                        + " be able to save", type, waiting, ROWS_PER_PAGE);
            } else {
                worth.add(type + ":" + budget);
            }
        });
        return worth;
    }

    private static void add(ExecutionContext context, String key, long n) {
        context.putLong(key, context.getLong(key, 0L) + n);
    }

    private MTurkClient client() {
        if (client == null) {
            client = clients.get();
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
