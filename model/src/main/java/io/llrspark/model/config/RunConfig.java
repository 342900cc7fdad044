package io.llrspark.model.config;

import io.llrspark.model.attack.Attack;
import io.llrspark.model.data.DataSettings;
import io.llrspark.model.objective.ObjectiveSettings;
import io.llrspark.model.objective.TrainingObjective;
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
     */
    public record Training(String objective, int epochs, int batchSize, double learningRate, String optimizer,
                           double momentum, double weightDecay, List<Long> lrBoundaries, double lrDecayFactor,
                           double epsilon, long checkpointEvery, long logEvery,
                           ObjectiveSettings objectiveSettings) implements Serializable {

        /** A new instance of the configured objective. */
        public TrainingObjective buildObjective() {
            return objectiveSettings.build(epsilon);
        }
    }

    /** @param attacks the configured attacks, built from their sections, in the configured order */
    public record Evaluation(List<Double> epsilons, int examples, int batchSize, List<Attack> attacks, int gammaSteps)
            implements Serializable {
    }
}
