package io.llrspark.model.eval;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;

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
        Evaluator evaluator = new Evaluator(config.evaluation(), config.seed(), log);
        long start = System.nanoTime();
        List<ExampleOutcome> outcomes = source.outcomes(evaluator, loaded);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", loaded.path());
        report.put("position", Map.of("epoch", loaded.position().epoch(), "iteration", loaded.position().iteration()));
        report.put("code_version", codeVersion);
        ExampleSource test = testSource();
        report.put("dataset", test.describe());
        report.putAll(RobustnessReport.of(config.evaluation(), outcomes, test.shape(storage).classes(), seconds));
        report.put("timings", Map.of("attack_seconds", seconds, "examples_per_second", outcomes.size() / seconds));
        report.put("config", config.rendered());
        report.put("training_config", loaded.config());
        String path = ReportFiles.write(storage,
                ReportFiles.directory(storage, config.output(), loaded.path()), report);
        return new Written(report, path);
    }

    public ExampleSource testSource() {
        return ExampleSources.test(config.data(), config.seed());
    }
}
