package io.llrspark.model.net;

import io.llrspark.model.objective.StepDiagnostics;
import io.llrspark.model.objective.TrainingObjective;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.FwdPassType;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** A {@link MultiLayerNetwork} that is a {@link Classifier} and trains with a {@link TrainingObjective} in fit(). */
public class ClassifierNetwork extends MultiLayerNetwork implements Classifier {

    private final transient ObjectiveBinding binding = new ObjectiveBinding();

    public ClassifierNetwork(MultiLayerConfiguration conf) {
        super(requireNoTrainingWorkspaces(conf));
    }

    /** Wraps a network read by DL4J's ModelSerializer (parameters, and updater state if it has one). */
    public static ClassifierNetwork of(MultiLayerNetwork restored) {
        ClassifierNetwork net = new ClassifierNetwork(restored.getLayerWiseConfigurations().clone());
        net.init(restored.params().dup(), false);
        if (restored.getUpdater(false) != null && restored.getUpdater(false).getStateViewArray() != null) {
            net.getUpdater(true).getStateViewArray().assign(restored.getUpdater(false).getStateViewArray());
        }
        return net;
    }

    private static MultiLayerConfiguration requireNoTrainingWorkspaces(MultiLayerConfiguration conf) {
        // Passes read layer inputs and input gradients after backprop; DL4J's training workspaces recycle them.
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        return conf;
    }

    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        super.init(parameters, cloneParametersArray);
        binding.bindLayers(getLayers());
    }

    public void useObjective(TrainingObjective objective, long seed) {
        binding.use(objective, seed);
    }

    public TrainingObjective objective() {
        return binding.objective();
    }

    public StepDiagnostics lastStep() {
        return binding.lastStep();
    }

    @Override
    public void computeGradientAndScore() {
        INDArray x = getInput();
        INDArray y = getLabels();
        score = binding.step(this, x, y, getIterationCount(), flattenedGradients);
        setInput(x);
        setLabels(y);
    }

    @Override
    public INDArray logits(INDArray x, BatchStatistics statistics) {
        binding.selector.select(statistics);
        try {
            return output(x, statistics != BatchStatistics.MOVING_AVERAGE);
        } finally {
            binding.selector.select(BatchStatistics.LIVE);
        }
    }

    @Override
    public Pass pass(INDArray x, LogitGradient rule, BatchStatistics statistics) {
        binding.selector.select(statistics);
        try {
            List<INDArray> activations = ffToLayerActivationsInWs(getnLayers() - 1, FwdPassType.STANDARD, false, x, null, null);
            INDArray logits = activations.get(activations.size() - 1).dup();
            setLabels(rule.of(logits).neg());
            Pair<Gradient, INDArray> backward = calcBackpropGradients(null, true, false, true);
            gradient = backward.getFirst();
            return new Pass(logits, backward.getSecond().dup(), flattenedGradients.dup());
        } finally {
            binding.selector.select(BatchStatistics.LIVE);
        }
    }

    @Override
    public INDArray pseudoGradientMask() {
        return binding.pseudoGradientMask(getLayers(), params());
    }

    @Override
    public boolean hasBatchNormalization() {
        return binding.hasBatchNormalization();
    }

    @Override
    public int numClasses() {
        return (int) layerSize(getnLayers() - 1);
    }

    @Override
    public Model model() {
        return this;
    }
}
