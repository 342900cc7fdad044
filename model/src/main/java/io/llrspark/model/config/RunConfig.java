package io.llrspark.model.config;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.data.DataSettings;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.arch.OptimizerSpec;
import io.llrspark.model.net.layers.PixelNormalization;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.storage.StorageLock;
import io.llrspark.model.objective.ObjectiveSettings;
import io.llrspark.model.objective.TrainingObjective;
import io.llrspark.model.verdict.VerdictSettings;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.Serializable;
import java.util.List;

/**
 * The whole resolved configuration of a run, typed and validated. Built once by {@link ConfigLoader}; nothing deeper
 * reads raw configuration. {@code rendered} is the resolved HOCON, stored with checkpoints and reports.
 * Serializable, so Spark executors receive the same typed settings as the driver.
 */
public record RunConfig(long seed, DataSettings data, Network network, Training training, Evaluation evaluation,
                        String output, String rendered) implements Serializable {

    /**
     * The network this run trains on data of {@code shape}, with its optimizer: the one place the configuration
     * becomes a network, for the local loop, the Spark jobs and the benchmarks alike. The input normalization is the
     * architecture's own unless {@code llr.network.input-mean} and {@code input-std} give one per channel.
     */
    public NetworkSpec networkSpec(DatasetShape shape) {
        Network n = network;
        PixelNormalization normalization = NetworkFactory.defaultNormalization(n.architecture(), shape.channels());
        if (!n.inputMean().isEmpty()) {
            if (n.inputMean().size() != shape.channels()) {
                throw new ConfigError("llr.network.input-mean and input-std: " + n.inputMean().size() + " values, but "
                        + "the images have " + shape.channels() + " channels");
            }
            normalization = new PixelNormalization(n.inputMean().stream().mapToDouble(Double::doubleValue).toArray(),
                    n.inputStd().stream().mapToDouble(Double::doubleValue).toArray());
        }
        Training t = training;
        OptimizerSpec optimizer = new OptimizerSpec(t.optimizer(), t.learningRate(), t.momentum(), t.weightDecay(),
                t.lrBoundaries(), t.lrDecayFactor());
        return new NetworkSpec(n.architecture(), n.activation(), shape.channels(), shape.height(), shape.width(),
                shape.classes(), n.arrayType(), seed, optimizer, n.outputInitScale(), n.layers(), normalization);
    }

    /**
     * @param outputInitScale factor on the output layer's initial weights (small: logits start near zero)
     * @param layers          {@code native} (libnd4j ops: oneDNN/cuDNN) or {@code dl4j} (DL4J's own layers)
     * @param inputMean       per-channel means of the input normalization (empty: the architecture's default)
     */
    public record Network(String architecture, String activation, String dataType, double outputInitScale,
                          String layers, List<Double> inputMean, List<Double> inputStd) implements Serializable {

        /** The ND4J type of parameters and activations. */
        public DataType arrayType() {
            return "double".equals(dataType) ? DataType.DOUBLE : DataType.FLOAT;
        }
    }

    /**
     * @param optimizer    {@code adam} or {@code nesterov} (SGD with Nesterov momentum)
     * @param weightDecay  L2 coefficient on the weights
     * @param lrBoundaries iterations at which the learning rate is multiplied by {@code lrDecayFactor}
     * @param objectiveSettings the named objective's own settings, from its section
     * @param objective    the objective built once from them at start-up: the one the local loop runs and the Spark
     *                     workers receive
     * @param lock         how the run claims its output
     * @param skipNonFinite whether a round that makes the objective or the parameters non-finite is undone and
     *                      counted ({@code non-finite = skip}) rather than stopping the run
     */
    public record Training(String objectiveName, int epochs, int batchSize, double learningRate, String optimizer,
                           double momentum, double weightDecay, List<Long> lrBoundaries, double lrDecayFactor,
                           double epsilon, long checkpointEvery, long logEvery,
                           ObjectiveSettings objectiveSettings, TrainingObjective objective, StorageLock.Timing lock,
                           boolean skipNonFinite)
            implements Serializable {
    }

    /**
     * @param attacks the configured attacks, built from their sections, in the configured order
     * @param cascade whether each attack runs only on the examples the earlier ones left robust (AutoAttack's order)
     */
    public record Evaluation(List<Double> epsilons, int examples, int batchSize, List<Attack> attacks, boolean cascade,
                             int gammaSteps, VerdictSettings verdict)
            implements Serializable {
    }
}
