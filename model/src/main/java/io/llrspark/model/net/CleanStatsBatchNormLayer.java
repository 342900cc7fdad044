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
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
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
 * can move the moving averages. NCHW float passes run as {@link VectorBatchNorm}'s kernels when the Vector API is
 * there; otherwise normalization forward and the live backward run as libnd4j's batchnorm and batchnorm_bp ops, a
 * single pass each instead of DL4J's chain of broadcast operations.
 */
public class CleanStatsBatchNormLayer extends BatchNormalization {

    /** NCHW and [N, C] both keep channels on axis 1. */
    private static final int CHANNEL_AXIS = 1;

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
        lastPassLive = statistics == BatchStatistics.LIVE;
        boolean vector = vectorized(x);
        if (lastPassLive) {
            // DL4J normalizes with the biased (population) variance of the batch; so do we, and remember it.
            if (vector) {
                double[] mean = new double[(int) x.size(1)];
                double[] var = new double[mean.length];
                VectorBatchNorm.statistics(x, mean, var);
                try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    cleanMean = Nd4j.createFromArray(mean).castTo(dataType);
                    cleanVar = Nd4j.createFromArray(var).castTo(dataType);
                }
            } else {
                cleanMean = x.mean(dims).detach();
                cleanVar = x.var(false, dims).detach();
            }
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
        if (vector) {
            // y = gamma·(x − mean)/sigma + beta = a·x + (beta − a·mean)
            float[] a = scale(passVar);
            float[] mean = passMean.toFloatVector();
            float[] beta = beta().toFloatVector();
            float[] shift = new float[a.length];
            for (int c = 0; c < a.length; c++) {
                shift[c] = beta[c] - a[c] * mean[c];
            }
            VectorBatchNorm.affine(x, a, shift, out);
            return out;
        }
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, passMean, passVar, gamma(), beta())
                .addOutputs(out)
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(layerConf().getEps())
                .build());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        INDArray eps = epsilon.castTo(dataType);
        Gradient gradient = new DefaultGradient();
        INDArray dx;
        if (lastPassLive) {
            dx = liveBackward(x, eps, gradient, workspaceMgr);
        } else {
            dx = fixedBackward(x, eps, gradient, workspaceMgr);
        }
        return new Pair<>(gradient, dx);
    }

    /**
     * Batch statistics: libnd4j's batchnorm_bp gives the input gradient through the statistics and the gamma/beta
     * gradients; the moving averages get DL4J's pseudo-gradients (old − new, so that an updater step of −1 lands on
     * decay·old + (1 − decay)·batch), computed from the statistics this pass normalized with.
     */
    private INDArray liveBackward(INDArray x, INDArray eps, Gradient gradient, LayerWorkspaceMgr workspaceMgr) {
        INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        if (vectorized(x, eps)) {
            liveBackwardVector(x, eps, dx, dGamma, dBeta);
        } else {
            liveBackwardOps(x, eps, dx, dGamma, dBeta);
        }
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGamma);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBeta);
        movingAveragePseudoGradients(gradient);
        return dx;
    }

    /**
     * dx = (gamma/sigma)·(eps − mean(eps) − x̂·mean(eps·x̂)) per channel, written as a·eps + b·x + d from two sums.
     */
    private void liveBackwardVector(INDArray x, INDArray eps, INDArray dx, INDArray dGamma, INDArray dBeta) {
        int channels = (int) x.size(1);
        float[] mean = passMean.toFloatVector();
        float[] var = passVar.toFloatVector();
        float[] gamma = gamma().toFloatVector();
        double[] sumEps = new double[channels];
        double[] sumEpsCentred = new double[channels];
        VectorBatchNorm.gradientSums(x, eps, mean, sumEps, sumEpsCentred);
        double count = (double) x.length() / channels;
        float[] a = new float[channels];
        float[] b = new float[channels];
        float[] d = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sigma = Math.sqrt(var[c] + layerConf().getEps());
            double dg = sumEpsCentred[c] / sigma;
            a[c] = (float) (gamma[c] / sigma);
            b[c] = (float) (-gamma[c] * dg / (count * sigma * sigma));
            d[c] = (float) (-gamma[c] * sumEps[c] / (count * sigma) + gamma[c] * dg * mean[c] / (count * sigma * sigma));
        }
        VectorBatchNorm.combine(eps, x, a, b, d, dx);
        assignGammaBeta(sumEps, sumEpsCentred, var, dGamma, dBeta);
    }

    /** dGamma = Σ eps·(x − mean) / sigma and dBeta = Σ eps per channel, from the kernel's sums. */
    private void assignGammaBeta(double[] sumEps, double[] sumEpsCentred, float[] var, INDArray dGamma,
                                 INDArray dBeta) {
        float[] gGamma = new float[sumEps.length];
        float[] gBeta = new float[sumEps.length];
        for (int c = 0; c < gGamma.length; c++) {
            gGamma[c] = (float) (sumEpsCentred[c] / Math.sqrt(var[c] + layerConf().getEps()));
            gBeta[c] = (float) sumEps[c];
        }
        dGamma.assign(Nd4j.createFromArray(gGamma).reshape(dGamma.shape()));
        dBeta.assign(Nd4j.createFromArray(gBeta).reshape(dBeta.shape()));
    }

    private void liveBackwardOps(INDArray x, INDArray eps, INDArray dx, INDArray dGamma, INDArray dBeta) {
        INDArray dMean = Nd4j.createUninitialized(dataType, passMean.length());
        INDArray dVar = Nd4j.createUninitialized(dataType, passMean.length());
        INDArray gradOut = Shape.hasDefaultStridesForShape(eps) ? eps : eps.dup('c');
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(x, passMean, passVar, gamma(), beta(), gradOut)
                .addOutputs(dx, dMean, dVar, dGamma.reshape(dGamma.length()), dBeta.reshape(dBeta.length()))
                .addIntegerArguments(1, 1, CHANNEL_AXIS)
                .addFloatingPointArguments(layerConf().getEps())
                .build());
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
    private INDArray fixedBackward(INDArray x, INDArray eps, Gradient gradient, LayerWorkspaceMgr workspaceMgr) {
        int[] dims = reductionDims(eps);
        INDArray std = Transforms.sqrt(passVar.add(layerConf().getEps()), false);
        if (gradients.weights()) {
            INDArray dGamma = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(BatchNormalizationParamInitializer.BETA);
            if (vectorized(x, eps)) {
                int channels = (int) x.size(1);
                double[] sumEps = new double[channels];
                double[] sumEpsCentred = new double[channels];
                VectorBatchNorm.gradientSums(x, eps, passMean.toFloatVector(), sumEps, sumEpsCentred);
                assignGammaBeta(sumEps, sumEpsCentred, passVar.toFloatVector(), dGamma, dBeta);
            } else {
                INDArray xHat = x.dup();
                Nd4j.getExecutioner().exec(new BroadcastSubOp(xHat, passMean, xHat, CHANNEL_AXIS));
                Nd4j.getExecutioner().exec(new BroadcastDivOp(xHat, std, xHat, CHANNEL_AXIS));
                dGamma.assign(xHat.muli(eps).sum(dims).reshape(dGamma.shape()));
                dBeta.assign(eps.sum(dims).reshape(dBeta.shape()));
            }
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
        if (vectorized(eps)) {
            VectorBatchNorm.affine(eps, scale(passVar), new float[(int) eps.size(1)], dx);
        } else {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(eps, gamma().div(std), dx, CHANNEL_AXIS));
        }
        return dx;
    }

    /** The Vector API kernels take NCHW float arrays in C order. */
    private boolean vectorized(INDArray... arrays) {
        return arrays[0].rank() == 4 && layerConf().getCnn2DFormat() == CNN2DFormat.NCHW
                && VectorSupport.applicable(arrays);
    }

    /** gamma / sqrt(var + eps) per channel. */
    private float[] scale(INDArray var) {
        float[] v = var.toFloatVector();
        float[] g = gamma().toFloatVector();
        float[] a = new float[v.length];
        for (int c = 0; c < a.length; c++) {
            a[c] = (float) (g[c] / Math.sqrt(v[c] + layerConf().getEps()));
        }
        return a;
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
