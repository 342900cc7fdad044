package io.llrspark.model.data.idx;

import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.LoadedOnce;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.settings.ConfigError;

import java.io.IOException;
import java.io.InputStream;

/**
 * MNIST-style IDX files (gzipped or not) on any storage. The whole set is held in memory as bytes (47 MB for
 * Fashion-MNIST's training set); the driver reads only the image header.
 *
 * @param keyStem the settings that name the files, for messages ({@code llr.data.train} → train-images, -labels)
 * @param limit   use only the first {@code limit} examples (0: all)
 */
public record IdxSource(String images, String labels, int classes, int limit, String keyStem) implements ExampleSource {

    @Override
    public void requireExists(Storage storage) {
        if (!ExampleSource.present(storage, keyStem + "-images", images)) {
            throw new ConfigError(keyStem + "-images: " + images + " does not exist");
        }
        if (!ExampleSource.present(storage, keyStem + "-labels", labels)) {
            throw new ConfigError(keyStem + "-labels: " + labels + " does not exist");
        }
    }

    @Override
    public DatasetShape shape(Storage storage) throws IOException {
        try (InputStream in = storage.open(images)) {
            DatasetShape s = IdxReader.shape(images, in, classes);
            int size = limit > 0 ? Math.min(limit, s.size()) : s.size();
            return new DatasetShape(size, s.channels(), s.height(), s.width(), s.classes());
        }
    }

    /** Reads both files whole (they are MNIST-sized), so truncation, a count mismatch or a bad label stop the driver. */
    @Override
    public DatasetShape verify(Storage storage) throws IOException {
        return open(storage).shape();
    }

    @Override
    public LabeledImages open(Storage storage) throws IOException {
        return LoadedOnce.get(this, () -> {
            try (InputStream img = storage.open(images); InputStream lab = storage.open(labels)) {
                return IdxReader.read(images, img, labels, lab, classes).head(limit);
            }
        });
    }

    @Override
    public String describe() {
        return images;
    }
}
