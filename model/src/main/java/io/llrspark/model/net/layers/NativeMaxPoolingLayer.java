package io.llrspark.model.net.layers;

import io.llrspark.model.net.kernels.MaxPooling;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer of {@link NativeMaxPooling}: max pooling of float NCHW arrays by {@link MaxPooling}, which keeps each
 * output's position in its window from the last training-mode forward pass, so the backward pass scatters the
 * gradient without looking at the input again. Anything the kernels do not take (windows other than 2x2 at stride 2,
 * other pooling, NHWC, dilation, float64, a GPU) goes to DL4J's layer.
 */
public class NativeMaxPoolingLayer extends SubsamplingLayer {
    private byte[] argmax;
    private MaxPooling.Geometry pooled;

    public NativeMaxPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        MaxPooling.Geometry g = geometry(input);
        if (g == null || dataType != DataType.FLOAT || !MaxPooling.handles(g, input)) {
            argmax = null;
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{g.n(), g.c(), g.oh(), g.ow()}, 'c');
        byte[] positions = training ? new byte[g.outputs()] : null;
        MaxPooling.forward(input, g, out, positions);
        if (training) {
            argmax = positions;
            pooled = g;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        MaxPooling.Geometry g = pooled;
        if (argmax == null || g.n() != input.size(0) || epsilon.size(2) != g.oh() || epsilon.size(3) != g.ow()
                || !MaxPooling.handles(g, epsilon)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{g.n(), g.c(), g.h(), g.w()}, 'c');
        MaxPooling.backward(epsilon, g, argmax, dx);
        return new Pair<>(new DefaultGradient(), dx);
    }

    /** The window over this input, or null where the Java kernels do not apply. */
    private MaxPooling.Geometry geometry(INDArray x) {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
        int[] dilation = c.getDilation();
        if (c.getPoolingType() != PoolingType.MAX || c.getCnn2dDataFormat() != CNN2DFormat.NCHW || x.rank() != 4
                || dilation[0] != 1 || dilation[1] != 1) {
            return null;
        }
        int[] kernel = c.getKernelSize();
        int[] stride = c.getStride();
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        boolean same = convolutionMode == ConvolutionMode.Same;
        int[] out = ConvolutionUtils.getOutputSize(x, kernel, stride, same ? null : c.getPadding(), convolutionMode,
                dilation, CNN2DFormat.NCHW);
        int[] pad = same ? ConvolutionUtils.getSameModeTopLeftPadding(out, new int[]{h, w}, kernel, stride, dilation)
                : c.getPadding();
        return new MaxPooling.Geometry((int) x.size(0), (int) x.size(1), h, w, out[0], out[1], kernel[0], kernel[1],
                stride[0], stride[1], pad[0], pad[1]);
    }
}
