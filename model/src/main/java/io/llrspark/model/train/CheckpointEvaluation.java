package io.llrspark.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.IdxReader;
import io.llrspark.model.data.LabeledImages;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
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

    public Written evaluate(String checkpoint, String codeVersion) throws IOException {
        CheckpointStore.Loaded loaded = new CheckpointStore(storage, config.output()).load(checkpoint);
        LabeledImages test = testSet();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", loaded.path());
        report.put("position", Map.of("epoch", loaded.position().epoch(), "iteration", loaded.position().iteration()));
        report.put("code_version", codeVersion);
        report.put("dataset", config.data().testImages());
        report.putAll(new Evaluator(config.evaluation(), config.seed(), log)
                .evaluate(loaded.network(), test, TrainingLoop.dataType(config)));
        report.put("training_config", loaded.config());
        report.put("evaluation_config", config.rendered());
        String name = loaded.path().substring(loaded.path().replaceAll("/+$", "").lastIndexOf('/') + 1);
        String path = storage.resolve(storage.resolve(storage.resolve(config.output(), "reports"), name), "report.json");
        try (OutputStream os = storage.create(path)) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(os, report);
        }
        return new Written(report, path);
    }

    private LabeledImages testSet() throws IOException {
        RunConfig.Data d = config.data();
        try (InputStream images = storage.open(d.testImages()); InputStream labels = storage.open(d.testLabels())) {
            return IdxReader.read(d.testImages(), images, d.testLabels(), labels, d.classes());
        }
    }
}
