package io.llrspark.model.eval;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.GradientHook;
import io.llrspark.model.net.LogitGradient;
import io.llrspark.model.net.Pass;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A network that counts what the attacks ask of it, in examples: every example through a forward pass, and every
 * example through a backward one (a pass with gradients is both). The evaluation reports each attack's compute from
 * it, so no attack accounts for its own passes.
 */
final class PassCounter implements Classifier {
    private final Classifier net;
    private long forwards;
    private long backwards;

    PassCounter(Classifier net) {
        this.net = net;
    }

    /** Example-passes forward and backward since the last call, then zero. */
    long[] take() {
        long[] counts = {forwards, backwards};
        forwards = 0;
        backwards = 0;
        return counts;
    }

    @Override
    public INDArray logits(INDArray x, BatchStatistics statistics) {
        forwards += x.size(0);
        return net.logits(x, statistics);
    }

    @Override
    public Pass pass(INDArray x, LogitGradient rule, BatchStatistics statistics, boolean weightGradient,
                     boolean inputGradient) {
        forwards += x.size(0);
        backwards += x.size(0);
        return net.pass(x, rule, statistics, weightGradient, inputGradient);
    }

    @Override
    public INDArray pseudoGradientMask() {
        return net.pseudoGradientMask();
    }

    @Override
    public boolean hasBatchNormalization() {
        return net.hasBatchNormalization();
    }

    @Override
    public int numClasses() {
        return net.numClasses();
    }

    @Override
    public Model model() {
        return net.model();
    }

    @Override
    public void useGradient(GradientHook hook) {
        net.useGradient(hook);
    }

    @Override
    public GradientHook gradientHook() {
        return net.gradientHook();
    }

    @Override
    public void trainStep(DataSet batch) {
        throw new UnsupportedOperationException("The evaluation does not train");
    }

    @Override
    public int iteration() {
        return net.iteration();
    }

    @Override
    public void iteration(int count) {
        net.iteration(count);
    }

    @Override
    public int epoch() {
        return net.epoch();
    }

    @Override
    public void epoch(int completed) {
        net.epoch(completed);
    }
}
