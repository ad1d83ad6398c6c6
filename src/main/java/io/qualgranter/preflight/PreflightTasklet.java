package io.qualgranter.preflight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.qualgranter.grant.ServiceUnavailableException;
import io.qualgranter.input.TypeReferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.mturk.MTurkClient;
import software.amazon.awssdk.services.mturk.model.QualificationType;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The step between validation and the first grant (run again on every resume): checks the credentials and the endpoint
 * with one cheap call ({@code GetAccountBalance}), then that every qualification type the input asks
 * for exists, is Active and is the caller's own, resolving the website worker file's names to ids.
 * Any failure stops the run with {@link PreflightFailedException} (exit 2) before any grant, except
 * throttling and 5xx answers that outlast the client's paced retries: {@link ServiceUnavailableException}
 * (exit 1, "run the same command again"), since there is nothing for the operator to fix.
 *
 * <p>A dry run makes no call, except that a website worker file's names are resolved (read-only
 * {@code ListQualificationTypes}): without them there is nothing meaningful to report.
 */
public class PreflightTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(PreflightTasklet.class);
    private static final int PROBLEMS_SHOWN = 3;

    private final Supplier<TypeReferences> references;
    private final boolean dryRun;
    private final Target target;
    private final Supplier<MTurkClient> clients;

    /** @param references the types the validate step found in the input */
    public PreflightTasklet(Supplier<TypeReferences> references, boolean dryRun, Target target,
                            Supplier<MTurkClient> clients) {
        this.references = references;
        this.dryRun = dryRun;
        this.target = target;
        this.clients = clients;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        TypeReferences references = this.references.get();
        if (dryRun && references.names().isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        ResolvedTypes resolved;
        boolean readEarly;
        try {
            OwnedTypes early = dryRun ? null : EarlyPreflight.take(target.endpoint());
            // a type not owned needs a call to say why: then everything is asked afresh
            readEarly = early != null && references.ids().stream().allMatch(id -> early.byId(id) != null);
            if (readEarly) {
                resolved = check(null, early, references);
            } else {
                try (MTurkClient client = clients.get()) {
                    resolved = check(client, readBalanceAndTypes(client, !dryRun), references);
                }
            }
        } catch (SdkException e) {
            if (ServiceErrors.isTransient(e)) {
                throw new ServiceUnavailableException("preflight: the service is busy or unavailable ("
                        + ServiceErrors.answerOf(e, target) + ", after retries): run the same command again; nothing was sent");
            }
            throw new PreflightFailedException("preflight: " + ServiceErrors.describe(e, target) + "; nothing was sent", e);
        }
        resolved.saveTo(chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext());
        log.info("Preflight passed at {}: {} qualification type(s) {}, {} name(s) resolved{}", target.describe(),
                resolved.typeIds().size(), resolved.typeIds(), resolved.idsByName().size(),
                readEarly ? " (its reads made while the job started)" : "");
        return RepeatStatus.FINISHED;
    }

    /**
     * The owned types, with (unless {@code withBalance} is false) the balance call beside them: the two reads go out
     * together (one round trip, not two); the balance's failure is the one thrown when both fail, since a credentials
     * or endpoint problem fails both and the balance call names it best.
     */
    static OwnedTypes readBalanceAndTypes(MTurkClient client, boolean withBalance) {
        CompletableFuture<?> balance = withBalance ? CompletableFuture.runAsync(() -> client.getAccountBalance(b -> { }))
                : CompletableFuture.completedFuture(null);
        try {
            return OwnedTypes.list(client);
        } finally {
            awaitBalance(balance);
        }
    }

    /** Waits for the balance call; its failure, if any, is thrown as it was. */
    private static void awaitBalance(CompletableFuture<?> balance) {
        try {
            balance.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private ResolvedTypes check(MTurkClient client, OwnedTypes owned, TypeReferences references) {
        List<String> problems = new ArrayList<>();
        Set<String> typeIds = new TreeSet<>();
        for (String id : references.ids()) {
            QualificationType type = owned.byId(id);
            if (type == null) {
                problems.add(notOwned(client, id));
            } else if (!OwnedTypes.isActive(type)) {
                problems.add("qualification type " + id + " (\"" + type.name() + "\") is " + type.qualificationTypeStatusAsString()
                        + ": activate it (aws mturk update-qualification-type --qualification-type-status Active) or use another");
            } else {
                typeIds.add(id);
            }
        }
        Map<String, String> idsByName = new HashMap<>();
        for (String name : references.names()) {
            QualificationType type = owned.byName(name);
            if (type == null) {
                problems.add("the worker file's column UPDATE-" + name + " names no qualification type of yours in "
                        + target.describe() + " (a worker file downloaded from the sandbox site does not fit production, "
                        + "nor the reverse)");
            } else if (!OwnedTypes.isActive(type)) {
                problems.add("qualification \"" + name + "\" (" + type.qualificationTypeId() + ") is "
                        + type.qualificationTypeStatusAsString() + ": activate it or leave its UPDATE- column empty");
            } else {
                idsByName.put(name, type.qualificationTypeId());
                typeIds.add(type.qualificationTypeId());
            }
        }
        if (!problems.isEmpty()) {
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more: "
                    + String.join("; ", problems.subList(1, Math.min(problems.size(), PROBLEMS_SHOWN + 1)))
                    + (problems.size() > PROBLEMS_SHOWN + 1 ? "; ..." : "") + ")" : "";
            throw new PreflightFailedException("preflight: " + problems.get(0) + more + "; nothing was sent");
        }
        return new ResolvedTypes(typeIds, idsByName);
    }

    /** Why a type the caller does not own cannot be granted: it does not exist here, or it is someone else's. */
    private String notOwned(MTurkClient client, String id) {
        try {
            QualificationType type = client.getQualificationType(b -> b.qualificationTypeId(id)).qualificationType();
            return "qualification type " + id + " (\"" + type.name() + "\") belongs to another requester: "
                    + "you can only grant your own types";
        } catch (AwsServiceException e) {
            if (e.statusCode() >= 500 || e.isThrottlingException() || e.statusCode() == 403) {
                throw e;
            }
            return "qualification type " + id + " does not exist in " + target.describe() + " ("
                    + target.otherEnvironmentHint() + ")";
        }
    }
}
