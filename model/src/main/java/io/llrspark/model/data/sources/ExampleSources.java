package io.llrspark.model.data.sources;

import io.llrspark.model.data.DataSettings;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.cifar.Cifar10Source;
import io.llrspark.model.data.idx.IdxSource;
import io.llrspark.model.data.prepared.PreparedImages;

/** The training and test sources a run's {@code llr.data} settings describe. */
public final class ExampleSources {
    public static final String IDX = "idx";
    public static final String CIFAR10 = "cifar10";
    public static final String PREPARED = "prepared";

    private ExampleSources() {
    }

    public static ExampleSource training(DataSettings d, long seed) {
        return switch (d.format()) {
            case IDX -> new IdxSource(d.trainImages(), d.trainLabels(), idxClasses(d), d.trainLimit(), "llr.data.train");
            case CIFAR10 -> new Cifar10Source(d.cifarDirectory(), true, d.trainLimit(), d.cifarAugment(), seed);
            case PREPARED -> new PreparedImages(d.prepared(), d.trainSplit(), true, d.imageSize(), d.minCropArea(),
                    d.classes(), d.trainLimit(), d.shuffleWindow(), d.shardCacheMb() * 1024L * 1024L, seed);
            default -> throw new IllegalArgumentException("unknown data format " + d.format());
        };
    }

    /** The whole test set (evaluation takes its first examples itself). */
    public static ExampleSource test(DataSettings d, long seed) {
        return switch (d.format()) {
            case IDX -> new IdxSource(d.testImages(), d.testLabels(), idxClasses(d), 0, "llr.data.test");
            case CIFAR10 -> new Cifar10Source(d.cifarDirectory(), false, 0, false, seed);
            case PREPARED -> new PreparedImages(d.prepared(), d.testSplit(), false, d.imageSize(), 1.0, d.classes(), 0,
                    d.shuffleWindow(), d.shardCacheMb() * 1024L * 1024L, seed);
            default -> throw new IllegalArgumentException("unknown data format " + d.format());
        };
    }

    /** IDX files do not say how many classes there are: 0 means MNIST's 10. */
    private static int idxClasses(DataSettings d) {
        return d.classes() == 0 ? 10 : d.classes();
    }
}
