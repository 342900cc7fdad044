package io.llrspark.model.eval;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.net.BatchStatistics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one checkpoint in this process with the configured attack suite and writes
 * {@code <output>/reports/<checkpoint name>/report.json}: the single-process evaluation every job path shares.
 */
public final class CheckpointEvaluation {
    private final RunConfig config;
    private final Storage storage;
    private final PrintStream log;

    public CheckpointEvaluation(RunConfig config, Storage storage, PrintStream log) {
        this.config = config;
        this.storage = storage;
        this.log = log;
    }

    /** The report written, and where. */
    public record Written(Map<String, Object> report, String path) {
    }

    /** Evaluates in this process. */
    public Written evaluate(String checkpoint, String codeVersion) throws IOException {
        return evaluate(checkpoint, codeVersion, (evaluator, loaded) ->
                evaluator.evaluateAll(loaded.network(), testSource().open(storage), config.network().arrayType()));
    }

    /** Evaluates with {@code source} attacking the batches, and writes the report files next to each other. */
    public Written evaluate(String checkpoint, String codeVersion, OutcomeSource source) throws IOException {
        CheckpointStore.Loaded loaded = new CheckpointStore(storage, config.output()).load(checkpoint);
        ExampleSource test = testSource();
        DatasetShape shape = test.shape(storage);
        requireFits(loaded, shape);
        Evaluator evaluator = new Evaluator(config.evaluation(), config.seed(), log);
        long start = System.nanoTime();
        List<ExampleOutcome> outcomes = source.outcomes(evaluator, loaded);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", loaded.path());
        report.put("position", Map.of("epoch", loaded.position().epoch(), "iteration", loaded.position().iteration()));
        report.put("code_version", codeVersion);
        report.put("dataset", test.describe());
        report.putAll(RobustnessReport.of(config.evaluation(), outcomes, shape.classes(), seconds));
        report.put("timings", Map.of("attack_seconds", seconds, "examples_per_second", outcomes.size() / seconds));
        report.put("config", config.rendered());
        report.put("training_config", loaded.config());
        String path = ReportFiles.write(storage,
                ReportFiles.directory(storage, config.output(), loaded.path()), report);
        return new Written(report, path);
    }

    /**
     * The test images must be what the checkpoint's network takes (geometry and classes): one forward pass of a
     * blank image finds a mismatch on the driver, before any task would fail with a DL4J trace.
     */
    static void requireFits(CheckpointStore.Loaded loaded, DatasetShape test) {
        String images = test.channels() + "x" + test.height() + "x" + test.width();
        if (loaded.network().numClasses() != test.classes()) {
            throw new DataFormatException(loaded.path(), "its network has " + loaded.network().numClasses()
                    + " classes, the test set (llr.data) has " + test.classes());
        }
        try (INDArray blank = Nd4j.zeros(DataType.FLOAT, 1, test.channels(), test.height(), test.width())) {
            loaded.network().logits(blank, BatchStatistics.MOVING_AVERAGE).close();
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            throw new DataFormatException(loaded.path(), "its network does not take the test set's " + images
                    + " images (llr.data): " + why, e);
        }
    }

    public ExampleSource testSource() {
        return ExampleSources.test(config.data(), config.seed());
    }
}
