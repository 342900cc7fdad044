package io.llrspark.model.config;

import io.llrspark.model.data.DataSettings;

import java.io.Serializable;
import java.util.List;

/**
 * The whole resolved configuration of a run, typed and validated. Built once by {@link ConfigLoader}; nothing deeper
 * reads raw configuration. {@code rendered} is the resolved HOCON, stored with checkpoints and reports.
 * Serializable, so Spark executors receive the same typed settings as the driver.
 */
public record RunConfig(long seed, DataSettings data, Network network, Training training, Evaluation evaluation, String output,
                        String rendered) implements Serializable {

    /**
     * @param outputInitScale factor on the output layer's initial weights (small: logits start near zero)
     * @param layers          {@code native} (libnd4j ops: oneDNN/cuDNN) or {@code dl4j} (DL4J's own layers)
     * @param inputMean       per-channel means of the input normalization (empty: the architecture's default)
     */
    public record Network(String architecture, String activation, String dataType, double outputInitScale,
                          String layers, List<Double> inputMean, List<Double> inputStd) implements Serializable {
    }

    public record Search(int steps, double stepFactor, long warmupSteps) implements Serializable {
    }

    public record Trades(double beta, int steps, double stepFactor, long warmupSteps) implements Serializable {
    }

    public record Llr(double nominalWeight, double lambda, double mu, int steps, String stepRule, double stepSize,
                      long warmupSteps, double h) implements Serializable {
    }

    /**
     * @param optimizer    {@code adam} or {@code nesterov} (SGD with Nesterov momentum)
     * @param weightDecay  L2 coefficient on the weights
     * @param lrBoundaries iterations at which the learning rate is multiplied by {@code lrDecayFactor}
     */
    public record Training(String objective, int epochs, int batchSize, double learningRate, String optimizer,
                           double momentum, double weightDecay, List<Long> lrBoundaries, double lrDecayFactor,
                           double epsilon, long checkpointEvery, long logEvery, Search adv, Trades trades, Llr llr)
            implements Serializable {
    }

    public record Attacks(int steps, double stepFactor, int restarts) implements Serializable {
    }

    public record Evaluation(List<Double> epsilons, int examples, int batchSize, List<String> attacks, Attacks pgd,
                             Attacks targeted, int gammaSteps) implements Serializable {
    }
}
