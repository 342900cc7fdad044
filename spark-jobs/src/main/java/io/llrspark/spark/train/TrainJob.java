package io.llrspark.spark.train;

import io.llrspark.model.storage.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.train.RunStart;
import io.llrspark.model.train.TrainingLoop;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The {@code train} job's driver: the model's {@link TrainingLoop} (order, checkpoints, metrics, resume) with steps
 * taken by {@link ParameterAveragingSteps} on the executors. Checkpoints and metrics go through {@code storage}, a
 * Hadoop file system, so the output may be local, hdfs:// or s3a://.
 */
public final class TrainJob {
    private TrainJob() {
    }

    public static TrainingLoop.Result run(JavaSparkContext sc, RunConfig config, SparkSettings settings,
                                          Storage storage, RunStart start, PrintStream log) throws IOException {
        ExampleSource source = ExampleSources.training(config.data(), config.seed());
        ParameterAveragingSteps steps = new ParameterAveragingSteps(sc, settings, config, source);
        log.printf("Spark: %d workers, %d examples each per step (minibatch %d), averaging every %d steps, master %s%n",
                steps.workers(), config.training().batchSize() / steps.workers(), config.training().batchSize(),
                settings.averagingFrequency(), sc.master());
        return new TrainingLoop(config, storage, log).train(source, steps, start);
    }
}
