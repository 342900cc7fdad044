package io.llrspark.spark.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.llrspark.model.settings.ConfigChecks;
import io.llrspark.model.settings.ConfigError;

import java.io.Serializable;

/**
 * The {@code llr.spark} section: how training is spread over executors. Validated with the rest of the
 * configuration, before a SparkContext exists.
 *
 * @param workers            parallel workers per averaging round (0: Spark's default parallelism)
 * @param averagingFrequency minibatches each worker trains between two averagings
 * @param averageUpdaterState average Adam's moment estimates with the parameters
 * @param prefetchBatches    minibatches a worker decodes ahead of training
 * @param aggregationDepth   depth of the tree aggregation of worker results
 * @param evaluationPartitions tasks the evaluation's test batches are spread over (0: one per batch)
 * @param lockSettleMs       evaluate-new: wait between writing a checkpoint's lock and reading it back
 * @param lockExpiryMinutes  evaluate-new: age after which a lock is taken to belong to a dead run
 */
public record SparkSettings(int workers, int averagingFrequency, boolean averageUpdaterState, int prefetchBatches,
                            int aggregationDepth, int evaluationPartitions, int lockSettleMs, int lockExpiryMinutes)
        implements Serializable {

    public static SparkSettings from(Config merged) {
        String p = "llr.spark";
        try {
            Config c = merged.getConfig(p);
            return new SparkSettings(ConfigChecks.nonNegative(c, p, "workers"),
                    ConfigChecks.positive(c, p, "averaging-frequency"), c.getBoolean("average-updater-state"),
                    ConfigChecks.nonNegative(c, p, "prefetch-batches"), ConfigChecks.positive(c, p, "aggregation-depth"),
                    ConfigChecks.nonNegative(c, p, "evaluation-partitions"),
                    ConfigChecks.nonNegative(c, p, "lock-settle-ms"), ConfigChecks.positive(c, p, "lock-expiry-minutes"));
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    /** The worker count to use, {@code workers} or else what Spark offers. */
    public int workers(int defaultParallelism) {
        return workers > 0 ? workers : Math.max(1, defaultParallelism);
    }
}
