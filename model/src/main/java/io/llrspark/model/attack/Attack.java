package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.Map;

/**
 * An L∞ attack on a batch at one radius, against the network in inference mode. Results are per example, so
 * evaluation can take the worst case over attacks ({@link WorstCase}). Immutable and serializable: the driver builds
 * the configured attacks once ({@link Attacks}) and ships them to the executors.
 */
public interface Attack extends Serializable {

    String name();

    /**
     * @param x    images in [0, 1]
     * @param y    one-hot labels
     * @param seed random starts derive from it, so a result does not depend on how the data was partitioned
     */
    AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed);

    /** Its settings as the report states them (keys in snake case). */
    Map<String, Object> settings();
}
