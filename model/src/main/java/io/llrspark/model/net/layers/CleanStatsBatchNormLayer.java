package io.llrspark.model.net.layers;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.PassGradients;
import io.llrspark.model.net.StatisticsSelector;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalization whose training-mode passes normalize with statistics chosen by a {@link StatisticsSelector}.
 *
 * <p>With {@link BatchStatistics#LIVE} it computes what DL4J's layer computes (batch statistics, DL4J's moving-average
 * pseudo-gradients), and it remembers the batch's mean and variance. With fixed statistics (the remembered clean-batch
 * ones, or the moving averages at inference) the layer is an affine map per channel, and its backward pass is the
 * affine map's: DL4J's own backward always assumes batch statistics, which gives wrong input gradients for an attack on
 * a network in inference mode. Fixed-statistics passes write zero moving-average pseudo-gradients, so only a live pass
 * can move the moving averages. The arithmetic is a {@link BatchNormArithmetic}
 * back-end chosen per pass: the Vector API kernels for NCHW floats, libnd4j's ops otherwise.
 */
public class CleanStatsBatchNormLayer extends BatchNormalization {

    private StatisticsSelector selector = new StatisticsSelector();
    private PassGradients gradients = new PassGradients();
    private INDArray cleanMean;
    private INDArray cleanVar;
    /** The statistics the last forward pass normalized with, and whether they were its own batch's. */
    private INDArray passMean;
    private INDArray passVar;
    private boolean lastPassLive;

    public CleanStatsBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    public void useSelector(StatisticsSelector selector) {
        this.selector = selector;
    }

    public void useGradients(PassGradients gradients) {
        this.gradients = gradients;
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
        if (layerConf().isLockGammaBeta()) {
            throw new UnsupportedOperationException("Batch normalization layer " + layerId()
                    + ": fixed gamma/beta is not supported");
        }
        BatchStatistics statistics = training ? selector.current() : BatchStatistics.MOVING_AVERAGE;
        INDArray x = input.castTo(dataType);
        int[] dims = reductionDims(x);
        BatchNormArithmetic arithmetic = arithmeticFor(x);
        lastPassLive = statistics == BatchStatistics.LIVE;
        if (lastPassLive) {
            INDArray[] batch = arithmetic.statistics(x, dims, dataType);
            cleanMean = batch[0];
            cleanVar = batch[1];
            passMean = cleanMean;
            passVar = cleanVar;
        } else if (statistics == BatchStatistics.CLEAN_BATCH) {
            if (cleanMean == null) {
                throw new IllegalStateException("Batch normalization layer " + layerId()
                        + ": a clean-batch-statistics pass needs a live pass on the clean batch first");
            }
            passMean = cleanMean;
            passVar = cleanVar;
        } else {
            passMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(-1);
            // Computed from log10(std) in this pass's working memory, which closes before the backward pass needs it.
            passVar = movingVariance().detach();
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        arithmetic.normalize(x, passMean, passVar, gamma(), beta(), layerConf().getEps(), out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        INDArray eps = epsilon.castTo(dataType);
        BatchNormArithmetic arithmetic = arithmeticFor(x, eps);
        Gradient gradient = new DefaultGradient();
        INDArray dx;
        if (lastPassLive) {
            dx = liveBackward(arithmetic, x, eps, gradient, workspaceMgr);
        } else {
            dx = fixedBackward(arithmetic, x, eps, gradient, workspaceMgr);
        }
        return new Pair<>(gradient, dx);
    }

    /**
     * Batch statistics: the input gradient through the statistics and the gamma/beta gradients; the moving averages get
     * DL4J's pseudo-gradients, computed from the statistics this pass normalized with.
     */
    private INDArray liveBackward(BatchNormArithmetic arithmetic, INDArray x, INDArray eps, Gradient gradient,
                                  LayerWorkspaceMgr workspaceMgr) {
        INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        arithmetic.liveBackward(x, eps, passMean, passVar, gamma(), beta(), layerConf().getEps(), dx, dGamma, dBeta);
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        movingAveragePseudoGradients(gradient);
        return dx;
    }

    /**
     * DL4J's moving-average pseudo-gradients (old − new, so that an updater step of −1 lands on
     * decay·old + (1 − decay)·batch), from the statistics this pass normalized with.
     */
    private void movingAveragePseudoGradients(Gradient gradient) {
        double decay = layerConf().getDecay();
        INDArray globalMean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray dGlobalMean = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        dGlobalMean.assign(globalMean.reshape(-1).sub(passMean).muli(1 - decay).reshape(dGlobalMean.shape()));
        gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, dGlobalMean);
        if (layerConf().isUseLogStd()) {
            // log10(std) parameterization: the update is log10(std_old) − log10(std_new) = ½·log10(var_old / var_new).
            INDArray varOld = movingVariance();
            INDArray varNew = varOld.mul(decay).addi(passVar.mul(1 - decay));
            INDArray dLogStd = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            dLogStd.assign(Transforms.log(varOld.div(varNew), false).muli(0.5 / Math.log(10))
                    .reshape(dLogStd.shape()));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dLogStd);
        } else {
            INDArray dGlobalVar = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            dGlobalVar.assign(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1).sub(passVar)
                    .muli(1 - decay).reshape(dGlobalVar.shape()));
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, dGlobalVar);
        }
    }

    /**
     * Fixed statistics: the layer is an affine map per channel, and so is its backward pass. Moving averages get zero
     * pseudo-gradients, so only a live pass can move them; gamma and beta gradients only when the pass wants weight
     * gradients (attack steps do not).
     */
    private INDArray fixedBackward(BatchNormArithmetic arithmetic, INDArray x, INDArray eps, Gradient gradient,
                                   LayerWorkspaceMgr workspaceMgr) {
        if (gradients.weights()) {
            INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
            arithmetic.fixedWeightGradients(x, eps, passMean, passVar, layerConf().getEps(), reductionDims(eps),
                    dGamma, dBeta);
            gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
            gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
            for (String stat : new String[]{BatchNormalizationParamInitializer.GLOBAL_MEAN,
                    BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD}) {
                INDArray view = gradientViews.get(stat);
                if (view != null) {
                    view.assign(0);
                    gradient.setGradientFor(stat, view);
                }
            }
        }
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, eps.shape(), 'c');
        arithmetic.fixedInputGradient(eps, passVar, gamma(), layerConf().getEps(), dx);
        return dx;
    }

    /** The one place the back-end is chosen: the Vector API kernels take NCHW float arrays in C order. */
    private BatchNormArithmetic arithmeticFor(INDArray... arrays) {
        return BatchNormArithmetic.of(layerConf().getCnn2DFormat() == CNN2DFormat.NCHW, arrays);
    }

    private INDArray gamma() {
        return getParam(BatchNormalizationParamInitializer.GAMMA).reshape(-1);
    }

    private INDArray beta() {
        return getParam(BatchNormalizationParamInitializer.BETA).reshape(-1);
    }

    private INDArray movingVariance() {
        if (layerConf().isUseLogStd()) {
            INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).reshape(-1);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, dataType), log10Std, false);
            return std.muli(std);
        }
        return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(-1);
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
