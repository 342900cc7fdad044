package io.llrspark.spark.prepare;

import io.llrspark.model.data.prepare.DatasetPreparation;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.spark.data.HadoopSettings;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The prepare-data driver: the driver lists the tree and plans the shards, the executors list class directories and
 * write one shard per task, every path through Hadoop's file systems (local, hdfs://, s3a://).
 */
public final class PrepareDataJob {
    private PrepareDataJob() {
    }

    public static DatasetPreparation.Result run(JavaSparkContext sc, PrepareConfig config, String codeVersion,
                                                PrintStream log) throws IOException {
        return DatasetPreparation.run(config, new HadoopStorage(sc.hadoopConfiguration()),
                new HadoopStorageFactory(HadoopSettings.of(sc.hadoopConfiguration())), new SparkTaskRunner(sc, log),
                codeVersion, log);
    }
}
