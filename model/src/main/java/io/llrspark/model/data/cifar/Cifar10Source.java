package io.llrspark.model.data.cifar;

import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.Examples;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.LoadedOnce;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.settings.ConfigError;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10's binary version ({@link Cifar10Reader}) in a directory on any storage: the training files or the test file,
 * held in memory once per JVM (150 MB for the training set).
 *
 * @param limit   use only the first {@code limit} examples (0: all)
 * @param augment training only: {@link PadCropFlip} by 4 pixels, seeded by {@code seed}, epoch and example
 */
public record Cifar10Source(String directory, boolean train, int limit, boolean augment, long seed)
        implements ExampleSource {

    private static final int PAD = 4;

    private List<String> files() {
        return train ? Cifar10Reader.TRAIN_FILES : Cifar10Reader.TEST_FILES;
    }

    @Override
    public void requireExists(Storage storage) {
        for (String name : files()) {
            String path = storage.resolve(directory, name);
            if (!ExampleSource.present(storage, "llr.data.cifar-directory", path)) {
                throw new ConfigError("llr.data.cifar-directory: " + path + " does not exist (expected CIFAR-10's "
                        + "binary version: data_batch_1.bin ... data_batch_5.bin and test_batch.bin)");
            }
        }
    }

    @Override
    public DatasetShape shape(Storage storage) throws IOException {
        // The record count needs the files' lengths; reading them is how every storage tells it.
        return images(storage).shape();
    }

    @Override
    public Examples open(Storage storage) throws IOException {
        LabeledImages images = images(storage);
        return train && augment ? new PadCropFlip(images, PAD, seed) : images;
    }

    private LabeledImages images(Storage storage) throws IOException {
        return LoadedOnce.get(this, () -> {
            List<Cifar10Reader.Named> files = new ArrayList<>();
            for (String name : files()) {
                String path = storage.resolve(directory, name);
                try (InputStream in = storage.open(path)) {
                    files.add(Cifar10Reader.Named.of(path, in));
                }
            }
            return Cifar10Reader.parse(files).head(limit);
        });
    }

    @Override
    public String describe() {
        return storageName(directory, train ? "data_batch_[1-5].bin" : "test_batch.bin");
    }

    private static String storageName(String directory, String files) {
        return directory.endsWith("/") ? directory + files : directory + "/" + files;
    }
}
