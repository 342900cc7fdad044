package io.llrspark.model.train;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.data.MinibatchOrder;
import io.llrspark.model.progress.Progress;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.objective.TrainingObjective;
import io.llrspark.model.objective.ObjectiveHook;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one training loop, local or distributed: epochs in the order the {@link ExampleSource} draws from the seed,
 * steps taken by a {@link StepExecutor}, a checkpoint at the end of every epoch (and every {@code checkpoint-every}
 * steps), {@code metrics.jsonl} next to the checkpoints, progress with ETA, and resume from the newest committed
 * checkpoint with the same data order and random starts.
 */
public final class TrainingLoop {
    private final RunConfig config;
    private final Storage storage;
    private final PrintStream log;

    public TrainingLoop(RunConfig config, Storage storage, PrintStream log) {
        this.config = config;
        this.storage = storage;
        this.log = log;
    }

    /** The outcome: the trained network, its last checkpoint and per-epoch figures. */
    public record Result(Classifier network, String checkpoint, List<Map<String, Object>> epochs) {
    }

    /** Claims the output for the whole run ({@link RunOutput}), then trains. */
    public Result train(ExampleSource source, StepExecutor steps, RunStart start) throws IOException {
        try (RunOutput claim = RunOutput.claim(storage, config.output(), start, config.training().lock(), log)) {
            return train(source, steps, start == RunStart.RESUME, claim);
        }
    }

    private Result train(ExampleSource source, StepExecutor steps, boolean resume, RunOutput claim)
            throws IOException {
        DatasetShape data = source.shape(storage);
        CheckpointStore checkpoints = new CheckpointStore(storage, config.output());
        MetricsLog metrics = new MetricsLog(storage, config.output());
        RunConfig.Training t = config.training();
        Classifier net;
        TrainingPosition position;
        Optional<CheckpointStore.Loaded> resumed = resume ? checkpoints.newestLoadable(log) : Optional.empty();
        Optional<String> latest = resumed.map(CheckpointStore.Loaded::path);
        if (resumed.isPresent()) {
            CheckpointStore.Loaded loaded = resumed.get();
            ResumeSettings.check(config.rendered(), loaded.config(), loaded.path(), log);
            net = loaded.network();
            position = loaded.position();
            metrics.loadUpTo(position.iteration(), log);
            log.printf("Resuming from %s (epoch %d, iteration %d)%n", loaded.path(), position.epoch(), position.iteration());
        } else {
            if (resume) {
                log.println("No committed checkpoint under " + config.output() + ": starting from scratch");
            }
            net = NetworkFactory.build(config.networkSpec(data));
            position = new TrainingPosition(0, 0, 0);
        }
        TrainingObjective objective = t.objective();
        ObjectiveHook.bind(net, objective, config.seed());

        int batches = MinibatchOrder.batches(data.size(), t.batchSize());
        long totalBatches = (long) batches * t.epochs();
        long doneAtStart = (long) position.epoch() * batches + position.batchInEpoch();
        Progress progress = new Progress(log, "train " + objective.name(), totalBatches - doneAtStart);
        int perRound = steps.batchesPerRound();
        log.printf("Training %s on %d examples: %d epochs of %d batches of %d (%d per round), %d parameters%n",
                objective.name(), data.size(), t.epochs(), batches, t.batchSize(), perRound, net.model().numParams());
        String lastCheckpoint = latest.orElse(null);
        List<Map<String, Object>> epochs = new ArrayList<>();
        long batchesThisRun = 0;
        long skipped = 0;
        for (int epoch = position.epoch(); epoch < t.epochs(); epoch++) {
            int[] order = source.order(data, config.seed(), epoch);
            DiagnosticsAverage window = new DiagnosticsAverage();
            // A resume inside an epoch carries on the average of the epoch's steps before it.
            DiagnosticsAverage wholeEpoch = epoch == position.epoch() && position.batchInEpoch() > 0
                    ? epochSoFar(resumed) : new DiagnosticsAverage();
            long examplesAtStart = wholeEpoch.examples();
            long epochStart = System.nanoTime();
            long windowStart = epochStart;
            int b = epoch == position.epoch() ? position.batchInEpoch() : 0;
            while (b < batches) {
                int end = Math.min(batches, b + perRound);
                List<int[]> round = new ArrayList<>(end - b);
                for (int i = b; i < end; i++) {
                    round.add(MinibatchOrder.batch(order, t.batchSize(), i));
                }
                long before = net.iteration();
                RoundSnapshot undo = t.skipNonFinite() ? RoundSnapshot.of(net) : null;
                DiagnosticsAverage d = steps.runRound(net, epoch, round, String.format("%s epoch %d/%d, batches %d-%d of %d",
                        objective.name(), epoch + 1, t.epochs(), b + 1, end, batches));
                if (!d.finite() || !RoundSnapshot.finite(net)) {
                    String what = String.format("%s at iteration %d (epoch %d, batches %d-%d)", d.finite()
                            ? "parameters became non-finite" : "the objective became " + d.describe(), net.iteration(),
                            epoch + 1, b + 1, end);
                    if (undo == null) {
                        throw new IllegalStateException("training diverged: " + what + "; the last good checkpoint "
                                + "is " + (lastCheckpoint == null ? "none" : lastCheckpoint) + ". Lower "
                                + "llr.training.learning-rate or check the data (llr.training.non-finite = skip "
                                + "skips such rounds).");
                    }
                    undo.restore(net);
                    skipped++;
                    log.println("Skipped a round: " + what + "; the model is as before it (" + skipped
                            + " skipped so far)");
                    d = new DiagnosticsAverage();
                }
                window.merge(d);
                wholeEpoch.merge(d);
                batchesThisRun += end - b;
                b = end;
                long iteration = net.iteration();
                claim.check();
                if (crossed(before, iteration, t.logEvery()) || b == batches) {
                    progress.report(batchesThisRun, String.format("epoch %d batch %d/%d  %s  %.0f img/s", epoch + 1,
                            b, batches, window.describe(), window.examples() / seconds(windowStart)));
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("epoch", epoch);
                    line.put("iteration", iteration);
                    line.put("elapsed_seconds", progress.elapsedSeconds());
                    line.put("images_per_second", window.examples() / seconds(windowStart));
                    line.putAll(window.toMap());
                    if (t.skipNonFinite()) {
                        line.put("skipped_rounds", skipped);
                    }
                    metrics.append(line);
                    window = new DiagnosticsAverage();
                    windowStart = System.nanoTime();
                }
                if (t.checkpointEvery() > 0 && crossed(before, iteration, t.checkpointEvery()) && b < batches) {
                    lastCheckpoint = checkpoints.write(net, new TrainingPosition(epoch, iteration, b),
                            config.rendered(), Map.of("last", metrics.last(), EPOCH_SO_FAR, wholeEpoch.toMap()));
                    log.println("Checkpoint " + lastCheckpoint);
                }
            }
            net.epoch(epoch + 1);
            claim.check();
            double epochSeconds = seconds(epochStart);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("epoch", epoch + 1);
            summary.put("seconds", epochSeconds);
            double imagesPerSecond = (wholeEpoch.examples() - examplesAtStart) / epochSeconds;
            summary.put("images_per_second", imagesPerSecond);
            summary.putAll(wholeEpoch.toMap());
            if (t.skipNonFinite()) {
                summary.put("skipped_rounds", skipped);
            }
            epochs.add(summary);
            lastCheckpoint = checkpoints.write(net, new TrainingPosition(epoch + 1, net.iteration(), 0),
                    config.rendered(), Map.of("epoch", summary));
            log.printf("Epoch %d done in %s (%.0f img/s): %s; checkpoint %s%n", epoch + 1, Progress.format(epochSeconds),
                    imagesPerSecond, wholeEpoch.describe(), lastCheckpoint);
        }
        return new Result(net, lastCheckpoint, epochs);
    }

    /** A mid-epoch checkpoint's record of the epoch's steps so far. */
    private static final String EPOCH_SO_FAR = "epoch_so_far";

    @SuppressWarnings("unchecked")
    private static DiagnosticsAverage epochSoFar(Optional<CheckpointStore.Loaded> resumed) {
        Object m = resumed.map(l -> l.metrics() == null ? null : l.metrics().get(EPOCH_SO_FAR)).orElse(null);
        return m instanceof Map<?, ?> map ? DiagnosticsAverage.fromMap((Map<String, Object>) map)
                : new DiagnosticsAverage();
    }

    /** Whether a multiple of {@code every} lies in (before, after]: rounds may advance the step count by several. */
    private static boolean crossed(long before, long after, long every) {
        return after / every > before / every;
    }

    private static double seconds(long sinceNanos) {
        return Math.max(1e-9, (System.nanoTime() - sinceNanos) / 1e9);
    }
}
