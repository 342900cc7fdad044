package io.llrspark.model.data;

import java.io.Serializable;

/**
 * Where a run's training and test examples come from and how they are read (llr.data): built and validated by the
 * configuration, read by {@link ExampleSources}.
 *
 * @param format       {@code idx}, {@code cifar10} or {@code prepared} (shards prepare-data wrote)
 * @param classes      0: the format's own count (10 for IDX and CIFAR-10, the class index for prepared data)
 * @param shardCacheMb each JVM's cache of whole shards (prepared data)
 */
public record DataSettings(String format, String trainImages, String trainLabels, String testImages,
                           String testLabels, String cifarDirectory, boolean cifarAugment, String prepared,
                           String trainSplit, String testSplit, int imageSize, double minCropArea, int shuffleWindow,
                           int shardCacheMb, int classes, int trainLimit) implements Serializable {
}

