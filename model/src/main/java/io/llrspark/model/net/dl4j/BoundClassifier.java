package io.llrspark.model.net.dl4j;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.GradientHook;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * What {@link ClassifierNetwork} and {@link ClassifierGraph} do alike, written once: both are DL4J networks (so the
 * methods below are theirs) whose layers a {@link GradientBinding} ties to the objective's gradient. They differ only in
 * how a pass runs and where their configuration keeps the position.
 */
interface BoundClassifier extends Classifier, NeuralNetwork {

    GradientBinding binding();

    Layer[] getLayers();

    int getIterationCount();

    int getEpochCount();

    void init(INDArray parameters, boolean cloneParametersArray);

    /**
     * Takes over a network read by DL4J's ModelSerializer: its parameters, its updater state if it has one, and its
     * position, which drives ε warm-up, random starts and Adam's bias correction (and which init() may reset).
     */
    default void adopt(INDArray parameters, INDArray updaterState, int iteration, int epoch) {
        init(parameters.dup(), false);
        if (updaterState != null) {
            updaterState().assign(updaterState);
        }
        iteration(iteration);
        epoch(epoch);
    }

    @Override
    default void useGradient(GradientHook hook) {
        binding().use(hook);
    }

    @Override
    default GradientHook gradientHook() {
        return binding().hook();
    }

    @Override
    default INDArray pseudoGradientMask() {
        return binding().pseudoGradientMask(getLayers(), params());
    }

    @Override
    default boolean hasBatchNormalization() {
        return binding().hasBatchNormalization();
    }

    @Override
    default Model model() {
        return (Model) this;
    }

    @Override
    default void trainStep(DataSet batch) {
        fit(batch);
    }

    @Override
    default int iteration() {
        return getIterationCount();
    }

    @Override
    default int epoch() {
        return getEpochCount();
    }
}
