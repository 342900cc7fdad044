package io.llrspark.model.data.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llrspark.model.data.prepared.ClassIndex;
import io.llrspark.model.data.prepared.PreparedDataset;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.tasks.StorageFactory;
import io.llrspark.model.tasks.TaskRunner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * prepare-data without Spark: list the tree, plan the shards, have a {@link TaskRunner} write them, check the skipped
 * fraction, then write {@code class-index.json} and, last, {@code manifest.json}. The manifest is the dataset's commit
 * marker (as {@code _COMMITTED} is a checkpoint's): it is removed before any shard is replaced and written only when
 * every shard is in place and the bad fraction is within the limit, so a reader that starts from it never sees a
 * partial dataset.
 */
public final class DatasetPreparation {
    private static final int SKIPPED_SHOWN = 20;

    private DatasetPreparation() {
    }

    /** @param manifest path of the manifest written */
    public record Result(String manifest, Map<String, SplitSummary> splits, double seconds) {
        public long files() {
            return splits.values().stream().mapToLong(SplitSummary::files).sum();
        }
    }

    /**
     * Checks, before any work starts, that the inputs the configuration names exist; fails naming the key.
     */
    public static void requireInputs(PrepareConfig config, Storage storage) throws IOException {
        ImageTree.classes(storage, config);
        if (config.splits().contains(PrepareConfig.VAL)) {
            String val = config.inputDirectory(PrepareConfig.VAL);
            if (storage.entries(val).isEmpty()) {
                throw new ConfigError(PrepareConfig.PREFIX + ".splits: includes val, but " + val
                        + " does not exist or is empty");
            }
            if (config.valLayout().equals(PrepareConfig.FLAT) && !storage.exists(config.valLabels())) {
                throw new ConfigError(PrepareConfig.PREFIX + ".val-labels: " + config.valLabels() + " does not exist");
            }
        }
    }

    /**
     * @param storage  the driver's view of the files
     * @param storages how tasks reach the same files
     */
    public static Result run(PrepareConfig config, Storage storage, StorageFactory storages, TaskRunner runner,
                             String codeVersion, PrintStream log) throws IOException {
        long start = System.nanoTime();
        ClassIndex classes = ImageTree.classes(storage, config);
        log.println("prepare-data: " + classes.size() + " classes in " + config.inputDirectory(PrepareConfig.TRAIN));
        List<ShardTask> tasks = new ArrayList<>();
        for (String split : config.splits()) {
            List<SourceFile> files = ImageTree.files(split, config, classes, storage, storages, runner);
            if (files.isEmpty()) {
                throw new DataFormatException(config.inputDirectory(split), "holds no files");
            }
            List<ShardTask> plan = ShardTask.plan(split, files, config.shardSize(), config.seed());
            log.printf(Locale.ROOT, "prepare-data: %s: %d files, %d shards of up to %d%n", split, files.size(),
                    plan.size(), config.shardSize());
            tasks.addAll(plan);
        }
        String manifest = storage.resolve(config.output(), PreparedDataset.MANIFEST);
        storage.delete(manifest);
        List<ShardOutcome> outcomes = runner.run("prepare-data: write " + tasks.size() + " shards", tasks,
                t -> t.files().size(), new ShardBuilder(storages, config, classes.size()));

        Map<String, SplitSummary> summaries = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (String split : config.splits()) {
            SplitSummary s = new SplitSummary(split, classes.size(), outcomes);
            summaries.put(split, s);
            log.printf(Locale.ROOT, "prepare-data: %s: %d examples in %d shards; %s%n", split, s.examples(),
                    s.shards().size(), s.skipLine());
            s.skipped().stream().limit(SKIPPED_SHOWN).forEach(k -> log.println("  skipped " + split + "/" + k.file()
                    + ": " + k.reason().key() + " (" + k.detail() + ")"));
            if (s.skipped().size() > SKIPPED_SHOWN) {
                log.println("  ... and " + (s.skipped().size() - SKIPPED_SHOWN) + " more");
            }
            if (s.badFraction() > config.maxBadFraction()) {
                failures.add(split + ": " + s.skipLine());
            }
        }
        if (!failures.isEmpty()) {
            throw new DataFormatException(config.input(), String.join("; ", failures) + ", more than "
                    + PrepareConfig.PREFIX + ".max-bad-fraction = " + config.maxBadFraction()
                    + " allows; no manifest written");
        }
        write(storage, storage.resolve(config.output(), ClassIndex.FILE_NAME), classes.toJson());
        write(storage, manifest, json(manifest(config, classes, summaries, codeVersion)));
        double seconds = (System.nanoTime() - start) / 1e9;
        Result result = new Result(manifest, summaries, seconds);
        log.printf(Locale.ROOT, "prepare-data: %d files in %.1f s (%.1f files/s); manifest %s%n", result.files(),
                seconds, result.files() / seconds, manifest);
        return result;
    }

    private static Map<String, Object> manifest(PrepareConfig config, ClassIndex classes,
                                                Map<String, SplitSummary> summaries, String codeVersion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", PreparedDataset.FORMAT);
        m.put("format_version", PreparedDataset.FORMAT_VERSION);
        m.put("source", config.input());
        m.put("code_version", codeVersion);
        m.put("settings", config.settings());
        m.put("classes", classes.size());
        m.put("class_index", ClassIndex.FILE_NAME);
        Map<String, Object> splits = new LinkedHashMap<>();
        summaries.forEach((name, s) -> splits.put(name, s.toJson(classes)));
        m.put("splits", splits);
        return m;
    }

    private static byte[] json(Object value) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(value);
    }

    private static void write(Storage storage, String path, byte[] bytes) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(bytes);
        }
    }
}
