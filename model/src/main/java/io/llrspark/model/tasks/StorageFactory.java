package io.llrspark.model.tasks;

import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.storage.Storage;

import java.io.Serializable;

/** How a task, wherever it runs, reaches the files: a Storage is not serializable, this recipe for one is. */
public interface StorageFactory extends Serializable {

    Storage open();

    /** Local files, for one-process runs and tests. */
    StorageFactory LOCAL = new Local();

    /** The {@link #LOCAL} factory. */
    final class Local implements StorageFactory {
        @Override
        public Storage open() {
            return new LocalStorage();
        }
    }
}
