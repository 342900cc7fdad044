package io.llrspark.model.net.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import io.llrspark.model.memory.StepMemory;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradient;
import io.llrspark.model.net.Pass;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.api.FwdPassType;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** A {@link MultiLayerNetwork} that is a {@link Classifier} and descends its gradient hook's gradient in fit(). */
public class ClassifierNetwork extends MultiLayerNetwork implements BoundClassifier {

    private final transient GradientBinding binding = new GradientBinding();

    @Override
    public GradientBinding binding() {
        return binding;
    }

    public ClassifierNetwork(MultiLayerConfiguration conf) {
        super(conf);
    }

    /** Wraps a network read by DL4J's ModelSerializer (parameters, and updater state if it has one). */
    public static ClassifierNetwork of(MultiLayerNetwork restored) {
        ClassifierNetwork net = new ClassifierNetwork(restored.getLayerWiseConfigurations().clone());
        net.adopt(restored.params(), restored.getUpdater(false) == null ? null
                : restored.getUpdater(false).getStateViewArray(), restored.getIterationCount(), restored.getEpochCount());
        return net;
    }

    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        super.init(parameters, cloneParametersArray);
        binding.bindLayers(getLayers(), layer -> layer.getIndex() == 0);
    }

    @Override
    public void computeGradientAndScore() {
        INDArray x = getInput();
        INDArray y = getLabels();
        score = binding.step(this, x, y, getIterationCount(), () -> flattenedGradients);
        setInput(x);
        setLabels(y);
    }

    @Override
    public INDArray logits(INDArray x, BatchStatistics statistics) {
        return binding.inPass(statistics, true, true, () -> {
            INDArray logits;
            // DL4J's output() runs outside any workspace and returns ordinary memory: free it now, not at a GC.
            try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                logits = output(x, statistics != BatchStatistics.MOVING_AVERAGE);
            }
            try (MemoryWorkspace results = StepMemory.results()) {
                return StepMemory.keep(logits);
            }
        });
    }

    @Override
    public Pass pass(INDArray x, LogitGradient rule, BatchStatistics statistics, boolean weightGradients,
                     boolean inputGradient) {
        // The workspace arrangement of DL4J's own calculateGradients: activations live in one workspace for the pass;
        // the labels and what the pass returns are built in the step's memory (StepMemory), outside it.
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG).build();
        return binding.inPass(statistics, weightGradients, inputGradient, () -> {
            try (MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
                List<INDArray> activations = ffToLayerActivationsInWs(getnLayers() - 1, FwdPassType.STANDARD, false,
                        x, null, null);
                INDArray logits;
                try (MemoryWorkspace results = StepMemory.results()) {
                    logits = activations.get(activations.size() - 1).dup();
                    setLabels(rule.of(logits).neg());
                }
                Pair<Gradient, INDArray> backward = calcBackpropGradients(null, true, false, inputGradient);
                gradient = backward.getFirst();
                try (MemoryWorkspace results = StepMemory.results()) {
                    return new Pass(logits, inputGradient ? backward.getSecond().dup() : null,
                            weightGradients ? flattenedGradients.dup() : null);
                }
            }
        });
    }

    @Override
    public int numClasses() {
        return (int) layerSize(getnLayers() - 1);
    }

    @Override
    public void iteration(int count) {
        getLayerWiseConfigurations().setIterationCount(count);
    }

    @Override
    public void epoch(int completed) {
        getLayerWiseConfigurations().setEpochCount(completed);
    }
}
