package io.llrspark.model.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.Leftovers;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.storage.StorageLock;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates every committed checkpoint of a run that has no report yet, and nothing else: what a cron entry or a
 * Kubernetes CronJob calls. Each checkpoint is claimed with a {@link StorageLock} first, so overlapping runs never
 * evaluate the same one; a checkpoint that fails gets a {@code failed.json} (and is not retried unless asked) while
 * the others go on.
 */
public final class NewCheckpointEvaluation {
    public static final String FAILED_NAME = "failed.json";
    /** The claim on a checkpoint's evaluation, in its report directory. */
    public static final String LOCK_NAME = "_LOCK";

    /** What happened to one checkpoint. */
    public enum Status { EVALUATED, ALREADY_EVALUATED, PREVIOUSLY_FAILED, LOCKED_BY_ANOTHER_RUN, FAILED }

    public record Outcome(String checkpoint, Status status, String detail) {
    }

    /** Evaluates one checkpoint and writes its report (through {@link CheckpointEvaluation}). */
    public interface Evaluation {
        CheckpointEvaluation.Written evaluate(String checkpoint) throws IOException;
    }

    private final Storage storage;
    private final String run;
    private final PrintStream log;
    private final Duration settle;
    private final Duration expiry;

    public NewCheckpointEvaluation(Storage storage, String run, PrintStream log, Duration settle, Duration expiry) {
        this.storage = storage;
        this.run = run;
        this.log = log;
        this.settle = settle;
        this.expiry = expiry;
    }

    public List<Outcome> run(Evaluation evaluation, boolean retryFailed) throws IOException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        List<String> checkpoints = new CheckpointStore(storage, run).committed();
        log.printf("%d committed checkpoints under %s%n", checkpoints.size(), run);
        for (String checkpoint : checkpoints) {
            String reports = ReportFiles.directory(storage, run, checkpoint);
            Outcome o;
            if (storage.exists(storage.resolve(reports, ReportFiles.JSON_NAME))) {
                o = new Outcome(checkpoint, Status.ALREADY_EVALUATED, "");
            } else if (!retryFailed && storage.exists(storage.resolve(reports, FAILED_NAME))) {
                o = new Outcome(checkpoint, Status.PREVIOUSLY_FAILED, "see " + storage.resolve(reports, FAILED_NAME));
            } else {
                o = claimAndEvaluate(evaluation, checkpoint, reports);
            }
            log.printf("%-22s %s %s%n", o.status(), checkpoint, o.detail());
            outcomes.add(o);
        }
        return outcomes;
    }

    private Outcome claimAndEvaluate(Evaluation evaluation, String checkpoint, String reports)
            throws IOException, InterruptedException {
        StorageLock lock = new StorageLock(storage, storage.resolve(reports, LOCK_NAME),
                new StorageLock.Timing(settle, expiry));
        Optional<StorageLock.Holder> holder = lock.tryAcquire();
        if (holder.isPresent()) {
            return new Outcome(checkpoint, Status.LOCKED_BY_ANOTHER_RUN, holder.get().describe());
        }
        try {
            // Another run may have finished it between our first look and the claim.
            if (storage.exists(storage.resolve(reports, ReportFiles.JSON_NAME))) {
                return new Outcome(checkpoint, Status.ALREADY_EVALUATED, "");
            }
            Leftovers.Removed removed = Leftovers.remove(storage, List.of(reports));
            if (removed.files() > 0) {
                log.println(removed.describe(reports));
            }
            CheckpointEvaluation.Written w = evaluation.evaluate(checkpoint);
            storage.delete(storage.resolve(reports, FAILED_NAME));
            return new Outcome(checkpoint, Status.EVALUATED, w.path());
        } catch (IOException | RuntimeException e) {
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("checkpoint", checkpoint);
            failure.put("error", String.valueOf(e));
            failure.put("time", Instant.now().toString());
            try (OutputStream out = storage.create(storage.resolve(reports, FAILED_NAME))) {
                out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(failure));
            }
            return new Outcome(checkpoint, Status.FAILED, String.valueOf(e));
        } finally {
            lock.close();
        }
    }
}
