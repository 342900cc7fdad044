package io.llrspark.model.net.dl4j;

import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import io.llrspark.model.memory.StepMemory;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradient;
import io.llrspark.model.net.Pass;
import io.llrspark.model.net.layers.PixelNormalization;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link ComputationGraph} with one input and one output that is a {@link Classifier} and descends its gradient
 * hook's gradient in fit(). DL4J has no public input gradient for graphs; the subclass reads the input
 * vertex's epsilon after the protected backprop.
 */
public class ClassifierGraph extends ComputationGraph implements BoundClassifier {

    /** The vertex between the input and the first layer in the graphs our builders make ({@link PixelNormalization}). */
    public static final String INPUT_BOUNDARY = "normalize";

    private final transient GradientBinding binding = new GradientBinding();

    @Override
    public GradientBinding binding() {
        return binding;
    }
    /** ComputationGraph keeps its labels private; fit() sets them through these overrides. */
    private transient INDArray currentLabels;

    public ClassifierGraph(ComputationGraphConfiguration conf) {
        super(requireSingleInputOutput(conf));
    }

    /** Wraps a graph read by DL4J's ModelSerializer (parameters, and updater state if it has one). */
    public static ClassifierGraph of(ComputationGraph restored) {
        ClassifierGraph net = new ClassifierGraph(restored.getConfiguration().clone());
        net.adopt(restored.params(), restored.getUpdater(false) == null ? null
                : restored.getUpdater(false).getStateViewArray(), restored.getIterationCount(), restored.getEpochCount());
        return net;
    }

    private static ComputationGraphConfiguration requireSingleInputOutput(ComputationGraphConfiguration conf) {
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("A classifier graph needs exactly one input and one output, got inputs "
                    + conf.getNetworkInputs() + " and outputs " + conf.getNetworkOutputs());
        }
        // Training passes keep their activations in DL4J's activation workspace, reused pass after pass (without it
        // every array is a fresh allocation, freed only when a garbage collection finds it). Graph backprop chooses its
        // activation-gradient workspaces by the *inference* mode: those workspaces are recycled when backprop ends, so
        // they are used only when the input gradient leaves through a PixelNormalization boundary, which writes it
        // outside them (graphs saved before the boundary existed keep fresh allocations).
        conf.setTrainingWorkspaceMode(WorkspaceMode.ENABLED);
        conf.setInferenceWorkspaceMode(hasInputBoundary(conf) ? WorkspaceMode.ENABLED : WorkspaceMode.NONE);
        return conf;
    }

    /** Whether the network input feeds exactly one vertex, and that one is a {@link PixelNormalization}. */
    private static boolean hasInputBoundary(ComputationGraphConfiguration conf) {
        String input = conf.getNetworkInputs().get(0);
        List<String> readers = conf.getVertexInputs().entrySet().stream()
                .filter(e -> e.getValue().contains(input)).map(Map.Entry::getKey).toList();
        return readers.size() == 1 && conf.getVertices().get(readers.get(0))
                instanceof org.deeplearning4j.nn.conf.graph.PreprocessorVertex v
                && v.getPreProcessor() instanceof PixelNormalization;
    }

    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        super.init(parameters, cloneParametersArray);
        // Every graph we build reads its input through the boundary vertex.
        binding.bindLayers(getLayers(), layer -> getConfiguration().getVertexInputs()
                .getOrDefault(layer.conf().getLayer().getLayerName(), List.of()).contains(INPUT_BOUNDARY));
    }

    @Override
    public void computeGradientAndScore() {
        INDArray x = getInput(0);
        INDArray y = currentLabels;
        score = binding.step(this, x, y, getIterationCount(), () -> flattenedGradients);
        setInput(0, x);
        setLabel(0, y);
    }

    @Override
    public void setLabels(INDArray... labels) {
        super.setLabels(labels);
        currentLabels = labels == null || labels.length == 0 ? null : labels[0];
    }

    @Override
    public void setLabel(int labelNum, INDArray label) {
        super.setLabel(labelNum, label);
        currentLabels = label;
    }

    @Override
    public INDArray logits(INDArray x, BatchStatistics statistics) {
        // The forward half of a pass rather than DL4J's output(), which refuses to run while a step's memory is open.
        return binding.inPass(statistics, true, true, () ->
                inForwardScope(x, statistics != BatchStatistics.MOVING_AVERAGE, activations -> {
                    try (MemoryWorkspace results = StepMemory.results()) {
                        return networkOutput(activations).dup();
                    }
                }));
    }

    @Override
    public Pass pass(INDArray x, LogitGradient rule, BatchStatistics statistics, boolean weightGradients,
                     boolean inputGradient) {
        setInput(0, x);
        return binding.inPass(statistics, weightGradients, inputGradient, () -> inForwardScope(x, true, activations -> {
            INDArray logits;
            // What the pass returns, and the labels, live outside the workspace the next pass reuses.
            try (MemoryWorkspace results = StepMemory.results()) {
                logits = networkOutput(activations).dup();
                setLabel(0, rule.of(logits).neg());
            }
            calcBackpropGradients(false, false);
            GraphVertex input = getVertex(getConfiguration().getNetworkInputs().get(0));
            try (MemoryWorkspace results = StepMemory.results()) {
                // DL4J wants the boundary's input gradient detached from every workspace: move it into ours.
                return new Pass(logits, inputGradient ? StepMemory.keep(input.getEpsilon()) : null,
                        weightGradients ? flattenedGradients.dup() : null);
            }
        }));
    }

    /**
     * {@code body} applied to a forward pass's activations, kept in DL4J's activation workspace (reused pass after
     * pass); afterwards the vertices are cleared and the workspace that was current is restored: graph backprop leaves
     * the activation workspace current after its scope has closed, and later allocations would land in it and outlive
     * it.
     */
    private <T> T inForwardScope(INDArray x, boolean training, Function<Map<String, INDArray>, T> body) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG).build();
        MemoryWorkspace before = Nd4j.getMemoryManager().getCurrentWorkspace();
        try (MemoryWorkspace activationsScope = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            return body.apply(ffToLayerActivationsInWS(training, -1, null, FwdPassType.STANDARD, false,
                    new INDArray[]{x}, null, null, false));
        } finally {
            for (GraphVertex vertex : getVertices()) {
                vertex.clear();
            }
            Nd4j.getMemoryManager().setCurrentWorkspace(before);
        }
    }

    private INDArray networkOutput(Map<String, INDArray> activations) {
        return activations.get(getConfiguration().getNetworkOutputs().get(0));
    }

    @Override
    public int numClasses() {
        return (int) layerSize(getConfiguration().getNetworkOutputs().get(0));
    }

    @Override
    public void iteration(int count) {
        getConfiguration().setIterationCount(count);
    }

    @Override
    public void epoch(int completed) {
        getConfiguration().setEpochCount(completed);
    }
}
