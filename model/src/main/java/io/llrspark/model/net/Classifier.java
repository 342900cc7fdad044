package io.llrspark.model.net;

import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J network seen as a differentiable function from images to logits: what objectives and attacks need,
 * implemented the same way for {@link ClassifierNetwork} and {@link ClassifierGraph}.
 */
public interface Classifier {

    /** Logits [N, classes]; no state changes apart from remembering live batch statistics. */
    INDArray logits(INDArray x, BatchStatistics statistics);

    /**
     * A forward/backward pass differentiating the quantity whose logit gradient {@code rule} gives, producing the
     * weight gradient and the input gradient only when asked (the other is null).
     */
    Pass pass(INDArray x, LogitGradient rule, BatchStatistics statistics, boolean weightGradient, boolean inputGradient);

    /** {@link #pass} with both gradients. */
    default Pass pass(INDArray x, LogitGradient rule, BatchStatistics statistics) {
        return pass(x, rule, statistics, true, true);
    }

    /** {@link #pass} for attacks and inner maximizations: the logits and input gradient only (no weight gradient). */
    default Pass inputPass(INDArray x, LogitGradient rule, BatchStatistics statistics) {
        return pass(x, rule, statistics, false, true);
    }

    /**
     * {@link #pass} for the objectives' weight passes: the logits and weight gradient only (no input gradient), so the
     * layers reading the network's input skip theirs.
     */
    default Pass weightPass(INDArray x, LogitGradient rule, BatchStatistics statistics) {
        return pass(x, rule, statistics, true, false);
    }

    /** 1 where a parameter's "gradient" is a moving-average update (batch normalization), else 0; flat, like params. */
    INDArray pseudoGradientMask();

    boolean hasBatchNormalization();

    int numClasses();

    /** The underlying DL4J network. */
    Model model();

    /** Makes {@code fit()} descend the hook's gradient. */
    void useGradient(GradientHook hook);

    /** The hook {@link #useGradient} set (null before). */
    GradientHook gradientHook();

    /** One optimizer step (DL4J's fit) on a minibatch with the gradient of the hook set by {@link #useGradient}. */
    void trainStep(DataSet batch);

    /** Optimizer steps taken so far (saved with the network). */
    int iteration();

    /** Sets the step count: parameter averaging advances it by a round's steps, not by the sum over workers. */
    void iteration(int count);

    /** Completed epochs (saved with the network). */
    int epoch();

    void epoch(int completed);
}
