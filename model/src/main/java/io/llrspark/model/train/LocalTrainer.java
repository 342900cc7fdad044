package io.llrspark.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.Storage;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.NetworkFactory;
import io.llrspark.model.net.NetworkSpec;
import io.llrspark.model.objective.ObjectiveFactory;
import io.llrspark.model.objective.TrainingObjective;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains a network with the configured objective on one machine: the code path the Spark worker reuses. Checkpoints
 * at the end of every epoch (and every {@code checkpoint-every} steps), writes {@code metrics.jsonl} next to them, and
 * resumes from the newest committed checkpoint with the same data order and random starts.
 */
public final class LocalTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunConfig config;
    private final Storage storage;
    private final PrintStream log;

    public LocalTrainer(RunConfig config, Storage storage, PrintStream log) {
        this.config = config;
        this.storage = storage;
        this.log = log;
    }

    /** The outcome: the trained network, its last checkpoint and per-epoch figures. */
    public record Result(Classifier network, String checkpoint, List<Map<String, Object>> epochs) {
    }

    public static DataType dataType(RunConfig config) {
        return "double".equals(config.network().dataType()) ? DataType.DOUBLE : DataType.FLOAT;
    }

    public static Classifier newNetwork(RunConfig config, LabeledImages shape) {
        return NetworkFactory.build(new NetworkSpec(config.network().architecture(), config.network().activation(),
                shape.channels(), shape.height(), shape.width(), shape.classes(), dataType(config), config.seed(),
                config.training().learningRate()));
    }

    public Result train(LabeledImages train, boolean resume) throws IOException {
        CheckpointStore checkpoints = new CheckpointStore(storage, config.output());
        RunConfig.Training t = config.training();
        Classifier net;
        TrainingPosition position;
        List<Map<String, Object>> metrics = new ArrayList<>();
        Optional<String> latest = resume ? checkpoints.latest() : Optional.empty();
        if (latest.isPresent()) {
            CheckpointStore.Loaded loaded = checkpoints.load(latest.get());
            net = loaded.network();
            position = loaded.position();
            metrics.addAll(readMetrics());
            // Lines logged after this checkpoint belong to the interrupted run; the resumed run logs them again.
            long at = position.iteration();
            metrics.removeIf(m -> ((Number) m.getOrDefault("iteration", 0)).longValue() > at);
            log.printf("Resuming from %s (epoch %d, iteration %d)%n", loaded.path(), position.epoch(), position.iteration());
        } else {
            if (resume) {
                log.println("No committed checkpoint under " + config.output() + ": starting from scratch");
            }
            net = newNetwork(config, train);
            position = new TrainingPosition(0, 0, 0);
        }
        TrainingObjective objective = ObjectiveFactory.create(t);
        net.useObjective(objective, config.seed());
        DataType type = dataType(config);

        int batches = MinibatchOrder.batches(train.size(), t.batchSize());
        long totalSteps = (long) batches * t.epochs();
        long doneAtStart = (long) position.epoch() * batches + position.batchInEpoch();
        Progress progress = new Progress(log, "train " + objective.name(), totalSteps - doneAtStart);
        log.printf("Training %s on %d examples: %d epochs of %d batches of %d, %d parameters%n", objective.name(),
                train.size(), t.epochs(), batches, t.batchSize(), net.model().numParams());
        String lastCheckpoint = latest.orElse(null);
        List<Map<String, Object>> epochs = new ArrayList<>();
        long stepsThisRun = 0;
        for (int epoch = position.epoch(); epoch < t.epochs(); epoch++) {
            int[] order = MinibatchOrder.permutation(train.size(), config.seed(), epoch);
            int firstBatch = epoch == position.epoch() ? position.batchInEpoch() : 0;
            DiagnosticsAverage window = new DiagnosticsAverage();
            DiagnosticsAverage wholeEpoch = new DiagnosticsAverage();
            long epochStart = System.nanoTime();
            long windowStart = epochStart;
            for (int b = firstBatch; b < batches; b++) {
                DataSet batch = train.batch(MinibatchOrder.batch(order, t.batchSize(), b), type);
                net.trainStep(batch);
                int n = batch.numExamples();
                window.add(net.lastStep(), n);
                wholeEpoch.add(net.lastStep(), n);
                stepsThisRun++;
                long iteration = net.iteration();
                if (iteration % t.logEvery() == 0 || b == batches - 1) {
                    double seconds = progress.elapsedSeconds();
                    progress.report(stepsThisRun, String.format("epoch %d batch %d/%d  %s  %.0f img/s", epoch + 1, b + 1,
                            batches, window.describe(), window.examples() / Math.max(1e-9, (System.nanoTime() - windowStart) / 1e9)));
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("epoch", epoch);
                    line.put("iteration", iteration);
                    line.put("elapsed_seconds", seconds);
                    line.putAll(window.toMap());
                    metrics.add(line);
                    writeMetrics(metrics);
                    window = new DiagnosticsAverage();
                    windowStart = System.nanoTime();
                }
                if (t.checkpointEvery() > 0 && iteration % t.checkpointEvery() == 0 && b < batches - 1) {
                    lastCheckpoint = checkpoints.write(net, new TrainingPosition(epoch, iteration, b + 1),
                            config.rendered(), Map.of("last", metrics.get(metrics.size() - 1)));
                    log.println("Checkpoint " + lastCheckpoint);
                }
            }
            net.epoch(epoch + 1);
            double epochSeconds = (System.nanoTime() - epochStart) / 1e9;
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("epoch", epoch + 1);
            summary.put("seconds", epochSeconds);
            summary.put("images_per_second", wholeEpoch.examples() / epochSeconds);
            summary.putAll(wholeEpoch.toMap());
            epochs.add(summary);
            lastCheckpoint = checkpoints.write(net, new TrainingPosition(epoch + 1, net.iteration(), 0),
                    config.rendered(), Map.of("epoch", summary));
            log.printf("Epoch %d done in %s (%.0f img/s): %s; checkpoint %s%n", epoch + 1, Progress.format(epochSeconds),
                    wholeEpoch.examples() / epochSeconds, wholeEpoch.describe(), lastCheckpoint);
        }
        return new Result(net, lastCheckpoint, epochs);
    }

    private String metricsPath() {
        return storage.resolve(config.output(), "metrics.jsonl");
    }

    private void writeMetrics(List<Map<String, Object>> lines) throws IOException {
        try (OutputStream out = storage.create(metricsPath())) {
            for (Map<String, Object> line : lines) {
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> readMetrics() throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        if (!storage.exists(metricsPath())) {
            return lines;
        }
        try (var in = storage.open(metricsPath())) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readValue(line, Map.class));
                }
            }
        }
        return lines;
    }
}
