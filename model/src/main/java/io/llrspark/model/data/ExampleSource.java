package io.llrspark.model.data;

import io.llrspark.model.storage.Storage;

import io.llrspark.model.settings.ConfigError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Serializable;

/**
 * Where a run's training or test examples live and how to read them, as a small serializable description: the
 * driver checks and sizes the dataset with it, every executor opens its own {@link Examples} from it.
 */
public interface ExampleSource extends Serializable {

    /** Fails with a {@link io.llrspark.model.settings.ConfigError} naming the setting whose data is missing. */
    void requireExists(Storage storage) throws IOException;

    /** Example count and geometry, read from headers or the manifest only. */
    DatasetShape shape(Storage storage) throws IOException;

    /**
     * The checks the driver can make before any task runs, so that bad data ends in one line naming the file rather
     * than in failed tasks: headers, counts and labels where the data is small enough to read here, the files'
     * presence where it is not. Returns the shape, as {@link #shape} does.
     */
    default DatasetShape verify(Storage storage) throws IOException {
        return shape(storage);
    }

    /** This JVM's reader of the examples (datasets small enough to hold are read once per JVM and kept). */
    Examples open(Storage storage) throws IOException;

    /** The order of an epoch's examples: a permutation drawn from (seed, epoch), so a resumed run sees the same. */
    default int[] order(DatasetShape shape, long seed, int epoch) {
        return MinibatchOrder.permutation(shape.size(), seed, epoch);
    }

    /** What to call the dataset in reports. */
    String describe();

    /**
     * Whether {@code path} exists; a store that cannot be asked (an unreachable endpoint, denied access) is a
     * configuration error naming {@code key}, found before any work starts.
     */
    static boolean present(Storage storage, String key, String path) {
        try {
            return storage.exists(path);
        } catch (UncheckedIOException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigError(key + ": cannot reach " + path + " (" + cause.getMessage() + ")", e);
        }
    }
}
