package io.llrspark.model.train;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalTrainerTest {
    @TempDir
    Path dir;

    private RunConfig config(String architecture, String objective, int epochs, String output) {
        return config(architecture, objective, epochs, output, List.of());
    }

    private RunConfig config(String architecture, String objective, int epochs, String output, List<String> more) {
        List<String> settings = new ArrayList<>(List.of("llr.network.architecture=" + architecture,
                "llr.training.objective=" + objective, "llr.training.epochs=" + epochs, "llr.training.batch-size=16",
                "llr.training.llr.steps=1", "llr.training.llr.warmup-steps=3", "llr.training.log-every=2",
                "llr.data.classes=4", "llr.output=\"" + output + "\""));
        settings.addAll(more);
        return ConfigLoader.load(null, settings);
    }

    @Test
    void resumedRunEndsWhereAnUninterruptedRunEnds() throws IOException {
        for (String architecture : new String[]{"small-cnn", "small-resnet"}) {
            LabeledImages train = TestNetworks.bands(48);
            String full = dir.resolve(architecture + "-full").toString();
            String parts = dir.resolve(architecture + "-parts").toString();
            Classifier uninterrupted = new LocalTrainer(config(architecture, "llr", 2, full), new LocalStorage(), quiet())
                    .train(train, RunStart.NEW).network();
            new LocalTrainer(config(architecture, "llr", 1, parts), new LocalStorage(), quiet()).train(train, RunStart.NEW);
            TrainingLoop.Result resumed = new LocalTrainer(config(architecture, "llr", 2, parts), new LocalStorage(), quiet())
                    .train(train, RunStart.RESUME);
            INDArray a = uninterrupted.model().params();
            INDArray b = resumed.network().model().params();
            assertTrue(a.sub(b).amaxNumber().doubleValue() < 1e-6, architecture + ": resumed run diverged by "
                    + a.sub(b).amaxNumber());
            assertEquals(2, resumed.network().epoch());
            assertEquals(6, resumed.network().iteration());

            // The checkpoint holds the network, its updater state and position exactly.
            CheckpointStore.Loaded loaded = new CheckpointStore(new LocalStorage(), parts).load(resumed.checkpoint());
            assertEquals(0.0, loaded.network().model().params().sub(b).amaxNumber().doubleValue());
            assertEquals(6, loaded.position().iteration());
            INDArray x = train.range(0, 8, org.nd4j.linalg.api.buffer.DataType.FLOAT).getFeatures();
            assertEquals(0.0, loaded.network().logits(x, BatchStatistics.MOVING_AVERAGE)
                    .sub(resumed.network().logits(x, BatchStatistics.MOVING_AVERAGE)).amaxNumber().doubleValue());
            assertTrue(loaded.config().contains("objective = llr") || loaded.config().contains("objective=llr")
                    || loaded.config().contains("\"llr\""), loaded.config());
            assertEquals(2, new CheckpointStore(new LocalStorage(), parts).committed().size());
        }
    }

    /**
     * A metrics.jsonl whose last line a killed write cut short: the resume drops that line with a warning and goes on;
     * a bad line before the last is an error naming the file and the line.
     */
    /**
     * A run resumed from a checkpoint inside an epoch reports that epoch over all its steps, those before the resume
     * included: the same summary as a run that was never interrupted.
     */
    @Test
    void anEpochResumedInTheMiddleIsSummarizedWhole() throws IOException {
        LabeledImages train = TestNetworks.bands(96);
        List<String> settings = List.of("llr.training.checkpoint-every=3", "llr.training.log-every=2");
        String full = dir.resolve("full").toString();
        String parts = dir.resolve("parts").toString();
        TrainingLoop.Result whole = new LocalTrainer(config("small-cnn", "llr", 1, full, settings), new LocalStorage(),
                quiet()).train(train, RunStart.NEW);
        new LocalTrainer(config("small-cnn", "llr", 1, parts, settings), new LocalStorage(), quiet())
                .train(train, RunStart.NEW);
        // The run as if killed after its mid-epoch checkpoint at iteration 3 of 6.
        CheckpointStore store = new CheckpointStore(new LocalStorage(), parts);
        List<String> committed = store.committed();
        assertEquals(List.of("ckpt-e0000-i000000003", "ckpt-e0001-i000000006"),
                committed.stream().map(c -> Path.of(c).getFileName().toString()).toList());
        Files.delete(Path.of(committed.get(1), "_COMMITTED"));
        TrainingLoop.Result resumed = new LocalTrainer(config("small-cnn", "llr", 1, parts, settings),
                new LocalStorage(), quiet()).train(train, RunStart.RESUME);

        Map<String, Object> expected = whole.epochs().get(0);
        Map<String, Object> got = resumed.epochs().get(0);
        assertEquals(6L, ((Number) got.get("steps")).longValue(), got.toString());
        assertEquals(96L, ((Number) got.get("examples")).longValue(), got.toString());
        for (String key : List.of("clean_ce", "gamma", "total")) {
            assertEquals(((Number) expected.get(key)).doubleValue(), ((Number) got.get(key)).doubleValue(), 1e-6, key);
        }
    }

    @Test
    void aCutLastMetricsLineDoesNotStopAResume() throws IOException {
        LabeledImages train = TestNetworks.bands(64);
        String out = dir.resolve("run").toString();
        new LocalTrainer(config("small-cnn", "standard", 1, out), new LocalStorage(), quiet()).train(train, RunStart.NEW);
        Path metrics = dir.resolve("run/metrics.jsonl");
        List<String> lines = Files.readAllLines(metrics);
        assertTrue(lines.size() >= 2, lines.toString());
        String whole = String.join("\n", lines) + "\n";
        Files.writeString(metrics, whole.substring(0, whole.length() - 9));

        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        TrainingLoop.Result resumed = new LocalTrainer(config("small-cnn", "standard", 2, out), new LocalStorage(),
                new java.io.PrintStream(log, true)).train(train, RunStart.RESUME);
        assertEquals(2, resumed.network().epoch());
        assertTrue(log.toString().contains("metrics.jsonl: its last line (" + lines.size() + ") is cut short"),
                log.toString());
        for (String line : Files.readAllLines(metrics)) {
            assertTrue(line.startsWith("{") && line.endsWith("}"), "every line whole again: " + line);
        }

        List<String> now = Files.readAllLines(metrics);
        now.set(0, now.get(0).substring(0, 10));
        Files.write(metrics, now);
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> new LocalTrainer(
                config("small-cnn", "standard", 3, out), new LocalStorage(), quiet()).train(train, RunStart.RESUME));
        assertTrue(e.getMessage().contains("metrics.jsonl, line 1: not a JSON object"), e.getMessage());
    }

    @Test
    void uncommittedCheckpointsAreIgnored() throws IOException {
        LabeledImages train = TestNetworks.bands(32);
        String out = dir.resolve("run").toString();
        TrainingLoop.Result r = new LocalTrainer(config("small-cnn", "standard", 1, out), new LocalStorage(), quiet())
                .train(train, RunStart.NEW);
        Path torn = dir.resolve("run/checkpoints/ckpt-e0009-i000000999");
        Files.createDirectories(torn);
        Files.writeString(torn.resolve("state.json"), "{");
        CheckpointStore store = new CheckpointStore(new LocalStorage(), out);
        assertEquals(r.checkpoint(), store.latest().orElseThrow());
    }

    @Test
    void everyObjectiveTrainsAndImprovesTheTrainingLoss() throws IOException {
        LabeledImages train = TestNetworks.bands(64);
        List<String> failures = new ArrayList<>();
        for (String objective : new String[]{"standard", "adv", "trades", "llr"}) {
            RunConfig c = ConfigLoader.load(null, List.of("llr.training.objective=" + objective,
                    "llr.training.epochs=3", "llr.training.batch-size=16", "llr.training.epsilon=0.05",
                    "llr.training.adv.steps=2", "llr.training.trades.steps=2", "llr.training.llr.steps=1",
                    "llr.training.llr.warmup-steps=0", "llr.training.learning-rate=0.01", "llr.data.classes=4",
                    "llr.output=\"" + dir.resolve(objective) + "\""));
            TrainingLoop.Result r = new LocalTrainer(c, new LocalStorage(), quiet()).train(train, RunStart.NEW);
            double first = ((Number) r.epochs().get(0).get("total")).doubleValue();
            double last = ((Number) r.epochs().get(2).get("total")).doubleValue();
            if (!(last < first)) {
                failures.add(objective + ": total " + first + " -> " + last);
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void divergenceStopsTheRunWithAClearMessage() {
        RunConfig c = ConfigLoader.load(null, List.of("llr.training.objective=standard", "llr.training.batch-size=16",
                "llr.training.learning-rate=1e12", "llr.training.epochs=3", "llr.data.classes=4",
                "llr.output=\"" + dir.resolve("diverged") + "\""));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new LocalTrainer(c, new LocalStorage(), quiet()).train(TestNetworks.bands(48), RunStart.NEW));
        assertTrue(e.getMessage().contains("training diverged") && e.getMessage().contains("learning-rate"),
                e.getMessage());
    }

    /**
     * A batch holding a NaN pixel (a poisoned record) makes the step's objective and update NaN. By default the run
     * stops naming the iteration; with {@code non-finite = skip} the round is undone and counted, the run goes on,
     * and its checkpoints hold finite parameters that still learned from the clean batches.
     */
    @Test
    void aPoisonedBatchStopsTheRunOrIsSkippedAndCounted() throws IOException {
        LabeledImages clean = TestNetworks.bands(64);
        List<String> settings = new ArrayList<>(List.of("llr.training.objective=standard",
                "llr.training.batch-size=16", "llr.training.epochs=6", "llr.training.log-every=1",
                "llr.training.learning-rate=0.01", "llr.data.classes=4"));
        settings.add("llr.output=\"" + dir.resolve("stopped") + "\"");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new LocalTrainer(ConfigLoader.load(null, settings), new LocalStorage(), quiet())
                        .train(new Poisoned(clean, 5), RunStart.NEW));
        assertTrue(e.getMessage().contains("training diverged") && e.getMessage().contains("non-finite = skip"),
                e.getMessage());

        settings.set(settings.size() - 1, "llr.output=\"" + dir.resolve("skipped") + "\"");
        settings.add("llr.training.non-finite=skip");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingLoop.Result r = new LocalTrainer(ConfigLoader.load(null, settings), new LocalStorage(),
                new PrintStream(log)).train(new Poisoned(clean, 5), RunStart.NEW);
        assertTrue(log.toString().contains("Skipped a round"), log.toString());
        assertEquals(6L, r.epochs().get(5).get("skipped_rounds"), "one poisoned batch per epoch, each skipped");
        CheckpointStore store = new CheckpointStore(new LocalStorage(), dir.resolve("skipped").toString());
        for (String checkpoint : store.committed()) {
            INDArray params = store.load(checkpoint).network().model().params();
            assertTrue(Double.isFinite(params.sumNumber().doubleValue()), checkpoint + " holds a non-finite parameter");
        }
        assertTrue(Files.readString(dir.resolve("skipped").resolve("metrics.jsonl")).contains("\"skipped_rounds\""));
        INDArray x = clean.range(0, 64, org.nd4j.linalg.api.buffer.DataType.FLOAT).getFeatures();
        INDArray predicted = r.network().logits(x, BatchStatistics.MOVING_AVERAGE).argMax(1);
        long right = 0;
        for (int i = 0; i < 64; i++) {
            right += predicted.getInt(i) == clean.labels()[i] ? 1 : 0;
        }
        assertTrue(right > 32, "learned from the clean batches: " + right + " of 64 right");
    }

    /** The examples with one of them turned into NaN pixels wherever a batch holds it. */
    private record Poisoned(LabeledImages images, int poisoned) implements io.llrspark.model.data.ExampleSource,
            io.llrspark.model.data.Examples {
        @Override
        public DataSet batch(int[] indices, int epoch, DataType type) {
            DataSet batch = images.batch(indices, epoch, type);
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] == poisoned) {
                    batch.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(Double.NaN);
                }
            }
            return batch;
        }

        @Override
        public int size() {
            return images.size();
        }

        @Override
        public int classes() {
            return images.classes();
        }

        @Override
        public void requireExists(io.llrspark.model.storage.Storage storage) {
        }

        @Override
        public io.llrspark.model.data.DatasetShape shape(io.llrspark.model.storage.Storage storage) {
            return images.shape();
        }

        @Override
        public io.llrspark.model.data.Examples open(io.llrspark.model.storage.Storage storage) {
            return this;
        }

        @Override
        public String describe() {
            return "bands with a poisoned example";
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
