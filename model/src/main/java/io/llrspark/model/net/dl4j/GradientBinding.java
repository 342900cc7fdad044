package io.llrspark.model.net.dl4j;

import io.llrspark.model.memory.StepMemory;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.GradientHook;
import io.llrspark.model.net.PassGradients;
import io.llrspark.model.net.StatisticsSelector;
import io.llrspark.model.net.layers.CleanStatsBatchNormLayer;
import io.llrspark.model.net.layers.CleanStatsBatchNormalization;
import io.llrspark.model.net.layers.NativeConvolutionLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Trainable;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What {@link ClassifierNetwork} and {@link ClassifierGraph} share: the statistics selector and pass gradients of
 * their layers, and the {@link GradientHook} that replaces DL4J's loss gradient inside {@code fit()}.
 */
final class GradientBinding {
    final StatisticsSelector selector = new StatisticsSelector();
    final PassGradients gradients = new PassGradients();
    private GradientHook hook;
    private boolean hasBatchNormalization;
    private INDArray pseudoGradientMask;

    /** {@code readsInput}: the layers whose input is the network's input, which a pass may not need a gradient of. */
    void bindLayers(Layer[] layers, Predicate<Layer> readsInput) {
        hasBatchNormalization = false;
        for (Layer layer : layers) {
            if (layer instanceof NativeConvolutionLayer convolution) {
                convolution.useGradients(gradients, readsInput.test(layer));
            }
            if (layer instanceof CleanStatsBatchNormLayer bn) {
                bn.useSelector(selector);
                bn.useGradients(gradients);
                hasBatchNormalization = true;
            } else if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization) {
                throw new IllegalArgumentException("Layer " + layer.getIndex() + " is DL4J's BatchNormalization; build "
                        + "networks with CleanStatsBatchNormalization so perturbed passes can reuse clean statistics");
            }
        }
        pseudoGradientMask = null;
    }

    boolean hasBatchNormalization() {
        return hasBatchNormalization;
    }

    void use(GradientHook hook) {
        this.hook = hook;
    }

    GradientHook hook() {
        return hook;
    }

    /**
     * One step of {@code fit()}: the hook's gradient (flat, summed over the batch), computed in a step's own memory
     * and copied into DL4J's gradient view, which must be read after the passes (they create it lazily); returns the
     * score DL4J reports.
     */
    double step(Classifier net, INDArray x, INDArray y, long iteration, Supplier<INDArray> gradientView) {
        if (hook == null) {
            throw new IllegalStateException("No gradient hook set: call useGradient(...) before fit()");
        }
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces();
             MemoryWorkspace step = StepMemory.open()) {
            INDArray g = hook.gradient(net, x, y, iteration);
            INDArray view = gradientView.get();
            view.assign(g.reshape(view.shape()));
        }
        return hook.lastScore();
    }

    /**
     * {@code body} with the layers normalizing by {@code statistics} and producing only the gradients asked for;
     * afterwards the defaults again (live statistics, both gradients), whatever {@code body} did.
     */
    <T> T inPass(BatchStatistics statistics, boolean weightGradients, boolean inputGradient, Supplier<T> body) {
        selector.select(statistics);
        gradients.want(weightGradients, inputGradient);
        try {
            return body.get();
        } finally {
            selector.select(BatchStatistics.LIVE);
            gradients.want(true, true);
        }
    }

    INDArray pseudoGradientMask(Layer[] layers, INDArray flatParams) {
        if (pseudoGradientMask == null) {
            // Built during a step, kept for all of them.
            try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                pseudoGradientMask = buildPseudoGradientMask(layers, flatParams);
            }
        }
        return pseudoGradientMask;
    }

    private static INDArray buildPseudoGradientMask(Layer[] layers, INDArray flatParams) {
        INDArray flat = flatParams.reshape(flatParams.length());
        INDArray mask = Nd4j.zeros(flatParams.dataType(), flatParams.length());
        for (Layer layer : layers) {
            for (Map.Entry<String, INDArray> p : layer.paramTable(false).entrySet()) {
                if (!((Trainable) layer).updaterDivideByMinibatch(p.getKey())) {
                    long start = p.getValue().offset() - flat.offset();
                    mask.get(NDArrayIndex.interval(start, start + p.getValue().length())).assign(1);
                }
            }
        }
        return mask.reshape(1, flatParams.length());
    }
}
