package io.llrspark.model.net.layers;

import io.llrspark.model.net.PassGradients;
import io.llrspark.model.net.kernels.VectorConvolution;
import io.llrspark.model.net.kernels.VectorSupport;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

/**
 * The layer of {@link NativeConvolution}: forward and backward are one libnd4j op each. The pre-activation of the last
 * training-mode forward pass is kept for the backward pass (it lives in the pass's activation workspace, like the
 * input the backward pass also reads), so backward never repeats the convolution. A backward pass that needs no
 * weight gradient (see {@link PassGradients}) runs the transposed convolution ({@code deconv2d}) alone; a layer
 * reading the network's input skips its input gradient when the pass does not want it. Layers with few input
 * channels (first layers) run as {@link VectorConvolution}'s direct kernels where those apply.
 */
public class NativeConvolutionLayer extends ConvolutionLayer {

    /** libnd4j's code for weights laid out [out, in, kH, kW], DL4J's layout. */
    private static final int WEIGHTS_OIHW = 1;
    private static final int NCHW = 0;

    private INDArray preActivation;
    private PassGradients gradients = new PassGradients();
    private boolean readsNetworkInput;

    public NativeConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    public void useGradients(PassGradients gradients, boolean readsNetworkInput) {
        this.gradients = gradients;
        this.readsNetworkInput = readsNetworkInput;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        checkSupported();
        INDArray z = convolve(workspaceMgr);
        IActivation activation = layerConf().getActivationFn();
        preActivation = training ? z : null;
        if (activation instanceof ActivationIdentity) {
            return z;
        }
        // Activation functions work in place: keep z intact for the backward pass.
        INDArray out = training ? workspaceMgr.dup(ArrayType.ACTIVATIONS, z) : z;
        return activation.getActivation(out, training);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        checkSupported();
        return new Pair<>(convolve(workspaceMgr), null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (preActivation == null) {
            throw new IllegalStateException("Convolution layer " + layerId()
                    + ": backward pass without a training-mode forward pass before it");
        }
        INDArray x = input.castTo(dataType);
        INDArray eps = epsilon.castTo(dataType);
        INDArray delta = layerConf().getActivationFn().backprop(preActivation, eps).getFirst();
        preActivation = null;
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        int[] stride = layerConf().getStride();
        // oneDNN's transposed convolution is fast at stride 1 only (measured: 2-4x faster than conv2d_bp there, 2x
        // slower at stride 2), so strided layers compute the weight gradient anyway, into the unused view.
        if (!gradients.weights() && stride[0] == 1 && stride[1] == 1) {
            return new Pair<>(new DefaultGradient(), inputGradientOnly(x, weights, delta, workspaceMgr));
        }
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = layerConf().hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad);
        if (biasGrad != null) {
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        if (direct(x) && VectorSupport.applicable(delta)) {
            VectorConvolution.weightGradient(x, delta, weightGrad, biasGrad);
            if (readsNetworkInput && !gradients.input()) {
                // Nobody reads it; zeros keep whatever DL4J does with it (a preprocessor's backward) harmless.
                return new Pair<>(gradient, workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c'));
            }
            return new Pair<>(gradient, inputGradientOnly(x, weights, delta, workspaceMgr));
        }
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (biasGrad != null) {
            INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
            op.addInputs(x, weights, bias.reshape(bias.length()), delta)
                    .addOutputs(inputGrad, weightGrad, biasGrad.reshape(biasGrad.length()));
        } else {
            op.addInputs(x, weights, delta).addOutputs(inputGrad, weightGrad);
        }
        Nd4j.exec(op.addIntegerArguments(integerArguments(x, delta)).build());
        return new Pair<>(gradient, inputGrad);
    }

    /** Whether {@link VectorConvolution} runs this layer on this input (output the input's size). */
    boolean direct(INDArray x) {
        // applicable() first: without the Vector API module VectorConvolution cannot even be loaded.
        if (!VectorSupport.applicable(x)) {
            return false;
        }
        int[] args = integerArguments(x, x);
        return VectorConvolution.handles(x.size(1), layerConf().getKernelSize(), layerConf().getStride(),
                new int[]{args[4], args[5]}, layerConf().getDilation());
    }

    /**
     * The input gradient as the transposed convolution of delta (stride 1), padded with the forward pass's top/left
     * padding. Where "same" padding was asymmetric (even kernels) its natural size is one row/column more than the
     * input's: that row is padding, cropped.
     */
    private INDArray inputGradientOnly(INDArray x, INDArray weights, INDArray delta, LayerWorkspaceMgr workspaceMgr) {
        if (direct(x) && VectorSupport.applicable(delta)) {
            INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
            VectorConvolution.inputGradient(delta, weights, dx);
            return dx;
        }
        int[] args = integerArguments(x, delta);
        int[] kernel = {args[0], args[1]};
        int[] pad = {args[4], args[5]};
        int[] dilation = {args[6], args[7]};
        long height = delta.size(2) - 1 + dilation[0] * (kernel[0] - 1) + 1 - 2L * pad[0];
        long width = delta.size(3) - 1 + dilation[1] * (kernel[1] - 1) + 1 - 2L * pad[1];
        boolean exact = height == x.size(2) && width == x.size(3);
        INDArray full = exact
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c')
                : Nd4j.createUninitialized(dataType, x.size(0), x.size(1), height, width);
        // deconv2d's weights [in, out, kH, kW] are the convolution's [out, in, kH, kW]: its input is delta.
        Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(delta, weights).addOutputs(full)
                .addIntegerArguments(kernel[0], kernel[1], 1, 1, pad[0], pad[1], dilation[0], dilation[1], 0, NCHW,
                        WEIGHTS_OIHW)
                .build());
        if (exact) {
            return full;
        }
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, full.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, x.size(2)), NDArrayIndex.interval(0, x.size(3))), 'c');
    }

    private INDArray convolve(LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        if (x.rank() != 4 || x.size(1) != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("Convolution layer " + layerId() + " expects NCHW input with "
                    + layerConf().getNIn() + " channels, got shape " + Arrays.toString(x.shape()));
        }
        int[] outSize = ConvolutionUtils.getOutputSize(x, layerConf().getKernelSize(), layerConf().getStride(),
                layerConf().getPadding(), convolutionMode, layerConf().getDilation(), CNN2DFormat.NCHW);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[]{x.size(0), layerConf().getNOut(), outSize[0], outSize[1]}, 'c');
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        // The kernels index in int: the output, with more channels than the input, must fit as well as the input.
        if (outSize[0] == x.size(2) && outSize[1] == x.size(3) && direct(x) && VectorSupport.applicable(z)) {
            INDArray bias = layerConf().hasBias()
                    ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr) : null;
            VectorConvolution.forward(x, weights, bias, z);
            return z;
        }
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d").addOutputs(z);
        if (layerConf().hasBias()) {
            INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
            op.addInputs(x, weights, bias.reshape(bias.length()));
        } else {
            op.addInputs(x, weights);
        }
        Nd4j.exec(op.addIntegerArguments(integerArguments(x, z)).build());
        return z;
    }

    private int[] integerArguments(INDArray x, INDArray output) {
        int[] kernel = layerConf().getKernelSize();
        int[] stride = layerConf().getStride();
        int[] dilation = layerConf().getDilation();
        boolean same = convolutionMode == ConvolutionMode.Same;
        int[] pad = same
                ? ConvolutionUtils.getSameModeTopLeftPadding(new int[]{(int) output.size(2), (int) output.size(3)},
                        new int[]{(int) x.size(2), (int) x.size(3)}, kernel, stride, dilation)
                : layerConf().getPadding();
        return new int[]{kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1], dilation[0], dilation[1],
                same ? 1 : 0, NCHW, WEIGHTS_OIHW};
    }

    private void checkSupported() {
        if (layerConf().getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new UnsupportedOperationException("Convolution layer " + layerId() + ": only NCHW is supported");
        }
        if (layerConf().getIDropout() != null) {
            throw new UnsupportedOperationException("Convolution layer " + layerId() + ": dropout is not supported");
        }
    }
}
