package io.llrspark.spark.data;

import io.llrspark.model.checkpoint.Storage;
import io.llrspark.model.config.ConfigError;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.IdxReader;
import io.llrspark.model.data.LabeledImages;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A training set in IDX files on any Hadoop file system, as executors see it: each executor JVM reads and decodes the
 * files once and keeps the bytes (47 MB for Fashion-MNIST); the driver reads only the image header.
 */
public record IdxSource(String images, String labels, int classes, int limit) implements Serializable {

    private static final Map<IdxSource, LabeledImages> LOADED = new ConcurrentHashMap<>();

    public static IdxSource training(RunConfig.Data data) {
        return new IdxSource(data.trainImages(), data.trainLabels(), data.classes(), data.trainLimit());
    }

    /** The whole test set (evaluation takes its first examples itself). */
    public static IdxSource test(RunConfig.Data data) {
        return new IdxSource(data.testImages(), data.testLabels(), data.classes(), 0);
    }

    /**
     * Fails with the key that names a missing file ({@code keyStem}-images or -labels, e.g. llr.data.train-images):
     * before any Spark job, not as a task failure.
     */
    public void requireExists(Storage storage, String keyStem) {
        if (!storage.exists(images)) {
            throw new ConfigError(keyStem + "-images: " + images + " does not exist");
        }
        if (!storage.exists(labels)) {
            throw new ConfigError(keyStem + "-labels: " + labels + " does not exist");
        }
    }

    public DatasetShape shape(Storage storage) throws IOException {
        try (InputStream in = storage.open(images)) {
            DatasetShape s = IdxReader.shape(images, in, classes);
            int size = limit > 0 ? Math.min(limit, s.size()) : s.size();
            return new DatasetShape(size, s.channels(), s.height(), s.width(), s.classes());
        }
    }

    /** This JVM's copy of the examples, read on first use. */
    public LabeledImages load(Storage storage) {
        return LOADED.computeIfAbsent(this, source -> {
            try (InputStream img = storage.open(images); InputStream lab = storage.open(labels)) {
                return IdxReader.read(images, img, labels, lab, classes).head(limit);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + images + " / " + labels + ": " + e.getMessage(), e);
            }
        });
    }
}
