package io.llrspark.spark.prepare;

import io.llrspark.model.storage.Storage;
import io.llrspark.model.tasks.StorageFactory;
import io.llrspark.spark.data.HadoopSettings;
import io.llrspark.spark.storage.HadoopStorage;

/** Storage on executors: Hadoop file systems with the driver's {@code fs.*} settings (s3a endpoint, credentials). */
public final class HadoopStorageFactory implements StorageFactory {
    private final HadoopSettings settings;

    public HadoopStorageFactory(HadoopSettings settings) {
        this.settings = settings;
    }

    @Override
    public Storage open() {
        return new HadoopStorage(settings.toConfiguration());
    }
}
