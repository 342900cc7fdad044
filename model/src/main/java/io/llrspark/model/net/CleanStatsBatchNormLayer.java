package io.llrspark.model.net;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization whose training-mode passes normalize with statistics chosen by a {@link StatisticsSelector}.
 *
 * <p>With {@link BatchStatistics#LIVE} it is DL4J's layer, and it remembers the batch's mean and variance. With fixed
 * statistics (the remembered clean-batch ones, or the moving averages at inference) the layer is an affine map per
 * channel, and its backward pass is the affine map's: DL4J's own backward always assumes batch statistics, which gives
 * wrong input gradients for an attack on a network in inference mode. Fixed-statistics passes write zero moving-average
 * pseudo-gradients, so only a live pass can move the moving averages.
 */
public class CleanStatsBatchNormLayer extends BatchNormalization {

    private StatisticsSelector selector = new StatisticsSelector();
    private INDArray cleanMean;
    private INDArray cleanVar;
    private INDArray fixedXHat;
    private INDArray fixedStd;
    private boolean lastPassFixed;

    public CleanStatsBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    public void useSelector(StatisticsSelector selector) {
        this.selector = selector;
    }

    /** The remembered clean-batch mean and variance (null before the first live pass). */
    public INDArray[] cleanStatistics() {
        return cleanMean == null ? null : new INDArray[]{cleanMean.dup(), cleanVar.dup()};
    }

    /** Replaces the remembered clean-batch statistics, e.g. to hold them at a point's values. */
    public void restoreCleanStatistics(INDArray[] statistics) {
        cleanMean = statistics[0].dup();
        cleanVar = statistics[1].dup();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        BatchStatistics statistics = training ? selector.current() : BatchStatistics.MOVING_AVERAGE;
        INDArray x = input.castTo(dataType);
        if (statistics == BatchStatistics.LIVE) {
            lastPassFixed = false;
            int[] dims = reductionDims(x);
            // DL4J normalizes with the biased (population) variance of the batch; remember the same numbers.
            cleanMean = x.mean(dims).detach();
            cleanVar = x.var(false, dims).detach();
            return super.activate(true, workspaceMgr);
        }
        INDArray mean;
        INDArray var;
        if (statistics == BatchStatistics.CLEAN_BATCH) {
            if (cleanMean == null) {
                throw new IllegalStateException("Batch normalization layer " + layerId()
                        + ": a clean-batch-statistics pass needs a live pass on the clean batch first");
            }
            mean = cleanMean;
            var = cleanVar;
        } else {
            mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
            var = movingVariance();
        }
        lastPassFixed = true;
        fixedStd = Transforms.sqrt(var.add(layerConf().getEps()), false).detach();
        fixedXHat = normalized(x, mean, fixedStd).detach();
        INDArray out = fixedXHat.dup();
        if (!layerConf().isLockGammaBeta()) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, gamma(), out, 1));
            Nd4j.getExecutioner().exec(new BroadcastAddOp(out, getParam(BatchNormalizationParamInitializer.BETA).reshape(-1), out, 1));
        } else {
            out.muli(layerConf().getGamma()).addi(layerConf().getBeta());
        }
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!lastPassFixed) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray eps = epsilon.castTo(dataType);
        int[] dims = reductionDims(eps);
        Gradient gradient = new DefaultGradient();
        INDArray scale;
        if (!layerConf().isLockGammaBeta()) {
            INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
            dGamma.assign(eps.mul(fixedXHat).sum(dims).reshape(dGamma.shape()));
            dBeta.assign(eps.sum(dims).reshape(dBeta.shape()));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
            gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
            scale = gamma().div(fixedStd);
        } else {
            scale = fixedStd.rdiv(layerConf().getGamma());
        }
        for (String stat : new String[]{BatchNormalizationParamInitializer.GLOBAL_MEAN,
                BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD}) {
            INDArray view = gradientViews.get(stat);
            if (view != null) {
                view.assign(0);
                gradient.setGradientFor(stat, view);
            }
        }
        INDArray dx = eps.dup();
        Nd4j.getExecutioner().exec(new BroadcastMulOp(dx, scale, dx, 1));
        return new Pair<>(gradient, workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, dx));
    }

    private INDArray gamma() {
        return getParam(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
    }

    private INDArray movingVariance() {
        if (layerConf().isUseLogStd()) {
            INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(-1);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, dataType), log10Std, false);
            return std.muli(std);
        }
        return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1);
    }

    private static INDArray normalized(INDArray x, INDArray mean, INDArray std) {
        INDArray out = x.dup();
        Nd4j.getExecutioner().exec(new BroadcastSubOp(out, mean, out, 1));
        Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp(out, std, out, 1));
        return out;
    }

    private int[] reductionDims(INDArray x) {
        if (x.rank() == 2) {
            return new int[]{0};
        }
        if (x.rank() == 4 && layerConf().getCnn2DFormat() == CNN2DFormat.NCHW) {
            return new int[]{0, 2, 3};
        }
        throw new IllegalArgumentException("Batch normalization layer " + layerId()
                + " supports [N,C] and NCHW [N,C,H,W] inputs, got shape " + java.util.Arrays.toString(x.shape()));
    }
}
