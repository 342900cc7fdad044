package io.llrspark.model.net.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;

/**
 * (x − mean) / std per channel of NCHW images, as the network's first operation: data, ε and every attack stay in
 * pixel space [0, 1] while the convolutions see centred inputs. Part of the saved configuration, so a checkpoint
 * normalizes exactly as it was trained.
 * <p>
 * It is also every graph's input boundary (the {@link #identity} one where no normalization is wanted): its backward
 * pass writes the input gradient outside DL4J's workspaces, so a graph can keep its activation gradients in
 * workspaces (reused pass after pass) and still hand the input gradient to the attacks after the pass.
 */
public final class PixelNormalization implements InputPreProcessor {
    private final double[] mean;
    private final double[] std;

    @JsonCreator
    public PixelNormalization(@JsonProperty("mean") double[] mean, @JsonProperty("std") double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need one value per channel, got " + mean.length + " and "
                    + std.length);
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("every std must be positive, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Leaves the input as it is: only the input boundary. */
    public static PixelNormalization identity(int channels) {
        double[] mean = new double[channels];
        double[] std = new double[channels];
        Arrays.fill(std, 1.0);
        return new PixelNormalization(mean, std);
    }

    public boolean isIdentity() {
        return Arrays.stream(mean).allMatch(m -> m == 0) && Arrays.stream(std).allMatch(s -> s == 1);
    }

    /** Scales [0, 1] to [−1, 1], as the authors' released ImageNet model does. */
    public static PixelNormalization symmetric(int channels) {
        double[] half = new double[channels];
        Arrays.fill(half, 0.5);
        return new PixelNormalization(half, half);
    }

    @JsonProperty("mean")
    public double[] mean() {
        return mean.clone();
    }

    @JsonProperty("std")
    public double[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        requireChannels(input);
        if (isIdentity()) {
            return input;
        }
        INDArray out = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        Broadcast.sub(out, Nd4j.createFromArray(mean).castTo(out.dataType()), out, 1);
        return Broadcast.div(out, Nd4j.createFromArray(std).castTo(out.dataType()), out, 1);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            INDArray grad = output.dup('c');
            return isIdentity() ? grad : Broadcast.div(grad, Nd4j.createFromArray(std).castTo(grad.dataType()), grad, 1);
        }
    }

    private void requireChannels(INDArray input) {
        if (input.rank() != 4 || input.size(1) != mean.length) {
            throw new IllegalArgumentException("input normalization of " + mean.length + " channels got an input of "
                    + "shape " + Arrays.toString(input.shape()) + " (expected [n, " + mean.length + ", h, w])");
        }
    }

    @Override
    public PixelNormalization clone() {
        return new PixelNormalization(mean, std);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return inputType;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelNormalization p && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "PixelNormalization(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
