package io.llrspark.model.memory;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.Pass;
import io.llrspark.model.objective.AdversarialTrainingObjective;
import io.llrspark.model.objective.LlrObjective;
import io.llrspark.model.objective.Perturbation;
import io.llrspark.model.objective.StepContext;
import io.llrspark.model.objective.TradesObjective;
import io.llrspark.model.objective.TrainingObjective;
import io.llrspark.model.objective.ObjectiveHook;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step's arrays live in one reused workspace: inside a step the passes return arrays in it, outside one
 * ordinary arrays; a step run inside it computes the same gradient as the objective run on ordinary memory (nothing
 * it still reads was overwritten), and after the first steps the workspace stops growing.
 */
class StepMemoryTest {
    private static final List<TrainingObjective> OBJECTIVES = List.of(
            new LlrObjective(2, 4, 1.2, 0.05, new Perturbation(0.1, 0, 2, Perturbation.Rule.SIGN, 2.5)),
            new TradesObjective(6, new Perturbation(0.1, 0, 2, Perturbation.Rule.SIGN, 2.5)),
            new AdversarialTrainingObjective(new Perturbation(0.1, 0, 3, Perturbation.Rule.SIGN, 2.5)));

    @ParameterizedTest
    @ValueSource(strings = {NetworkFactory.SMALL_CNN, NetworkFactory.SMALL_RESNET})
    void passesReturnStepArraysOnlyInsideAStep(String architecture) {
        Classifier net = TestNetworks.build(architecture, 8, DataType.FLOAT, 1);
        INDArray x = TestNetworks.images(6, 8, DataType.FLOAT, 2);
        INDArray y = TestNetworks.oneHot(6, 10, DataType.FLOAT, 3);
        Pass outside = net.pass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE);
        for (INDArray a : List.of(outside.logits(), outside.inputGradient(), outside.paramGradient(),
                net.logits(x, BatchStatistics.MOVING_AVERAGE))) {
            assertFalse(a.isAttached(), "outside a step a pass returns ordinary arrays");
        }
        try (MemoryWorkspace step = StepMemory.open()) {
            Pass inside = net.pass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE);
            Pass input = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.LIVE);
            for (INDArray a : List.of(inside.logits(), inside.inputGradient(), inside.paramGradient(),
                    input.inputGradient(), net.logits(x, BatchStatistics.MOVING_AVERAGE))) {
                assertTrue(a.isAttached() && StepMemory.STEP.equals(a.data().getParentWorkspace().getId()),
                        "inside a step a pass returns arrays in the step's memory");
            }
            assertEquals(0, inside.logits().sub(outside.logits()).amaxNumber().doubleValue(), 1e-6);
            assertEquals(0, inside.inputGradient().sub(outside.inputGradient()).amaxNumber().doubleValue(), 1e-6);
        }
        assertTrue(Nd4j.getMemoryManager().getCurrentWorkspace() == null, "the step left a workspace current");
    }

    @ParameterizedTest
    @ValueSource(strings = {NetworkFactory.SMALL_CNN, NetworkFactory.SMALL_RESNET})
    void stepsInTheirMemoryComputeTheObjectivesGradientAndStopGrowing(String architecture) {
        for (TrainingObjective objective : OBJECTIVES) {
            Classifier net = TestNetworks.build(architecture, 8, DataType.FLOAT, 1);
            Model model = net.model();
            ObjectiveHook.bind(net, objective, 5);
            long size = -1;
            for (int step = 0; step < 6; step++) {
                INDArray x = TestNetworks.images(8, 8, DataType.FLOAT, 10 + step);
                INDArray y = TestNetworks.oneHot(8, 10, DataType.FLOAT, 20 + step);
                INDArray expected = objective.step(net, x, y, new StepContext(net.iteration(), 5)).gradient();
                INDArray computed = stepGradient(model, x, y);
                assertEquals(0, computed.sub(expected.reshape(-1)).amaxNumber().doubleValue(), 1e-5,
                        objective.name() + " step " + step + ": the gradient of a step in its memory");
                long now = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(StepMemory.STEP).getCurrentSize();
                if (step >= 3) {
                    assertEquals(size, now, objective.name() + ": the step memory grew at step " + step);
                }
                size = now;
                net.trainStep(new DataSet(x, y));
            }
            assertTrue(size > 0, "the steps used no step memory");
        }
    }

    /**
     * An inner maximization's iterations run in their own memory: a step's allocations do not grow with the number
     * of inner steps (PGD-2 and PGD-8, and LLR's Adam search), and a pass inside an iteration returns its arrays there.
     */
    @ParameterizedTest
    @ValueSource(strings = {NetworkFactory.SMALL_CNN, NetworkFactory.SMALL_RESNET})
    void innerIterationsDoNotGrowTheStep(String architecture) {
        long[] sizes = new long[4];
        int k = 0;
        for (int inner : new int[]{2, 8}) {
            for (TrainingObjective objective : List.of(
                    new AdversarialTrainingObjective(new Perturbation(0.1, 0, inner, Perturbation.Rule.SIGN, 2.5)),
                    new LlrObjective(2, 4, 1.2, 0.05, new Perturbation(0.1, 0, inner, Perturbation.Rule.ADAM, 0.1)))) {
                Classifier net = TestNetworks.build(architecture, 8, DataType.FLOAT, 1);
                ObjectiveHook.bind(net, objective, 5);
                for (int step = 0; step < 3; step++) {
                    net.trainStep(new DataSet(TestNetworks.images(8, 8, DataType.FLOAT, step),
                            TestNetworks.oneHot(8, 10, DataType.FLOAT, step)));
                }
                // What the last step allocated in its own memory (its iterations' arrays live elsewhere).
                sizes[k++] = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(StepMemory.STEP)
                        .getLastCycleAllocations();
            }
        }
        assertEquals(sizes[0], sizes[2], "ADV's step memory grew with its inner steps");
        assertEquals(sizes[1], sizes[3], "LLR's step memory grew with its inner steps");

        Classifier net = TestNetworks.build(architecture, 8, DataType.FLOAT, 1);
        INDArray x = TestNetworks.images(4, 8, DataType.FLOAT, 2);
        INDArray y = TestNetworks.oneHot(4, 10, DataType.FLOAT, 3);
        try (MemoryWorkspace iteration = StepMemory.iteration()) {
            INDArray g = net.inputPass(x, LogitGradients.crossEntropy(y), BatchStatistics.MOVING_AVERAGE)
                    .inputGradient();
            assertTrue(g.isAttached() && StepMemory.ITERATION.equals(g.data().getParentWorkspace().getId()));
        }
    }

    /** What fit() hands the updater (before the updater turns it into a step in place). */
    private static INDArray stepGradient(Model model, INDArray x, INDArray y) {
        if (model instanceof ComputationGraph graph) {
            graph.setInput(0, x);
            graph.setLabel(0, y);
            graph.computeGradientAndScore();
        } else {
            MultiLayerNetwork network = (MultiLayerNetwork) model;
            network.setInput(x);
            network.setLabels(y);
            network.computeGradientAndScore();
        }
        return model.gradient().gradient().reshape(-1).dup();
    }
}
