package io.llrspark.model.config;

import java.util.List;

/**
 * The whole resolved configuration of a run, typed and validated. Built once by {@link ConfigLoader}; nothing deeper
 * reads raw configuration. {@code rendered} is the resolved HOCON, stored with checkpoints and reports.
 */
public record RunConfig(long seed, Data data, Network network, Training training, Evaluation evaluation, String output,
                        String rendered) {

    public record Data(String format, String trainImages, String trainLabels, String testImages, String testLabels,
                       int classes, int trainLimit) {
    }

    public record Network(String architecture, String activation, String dataType) {
    }

    public record Search(int steps, double stepFactor, long warmupSteps) {
    }

    public record Trades(double beta, int steps, double stepFactor, long warmupSteps) {
    }

    public record Llr(double nominalWeight, double lambda, double mu, int steps, String stepRule, double stepSize,
                      long warmupSteps, double h) {
    }

    public record Training(String objective, int epochs, int batchSize, double learningRate, double epsilon,
                           long checkpointEvery, long logEvery, Search adv, Trades trades, Llr llr) {
    }

    public record Attacks(int steps, double stepFactor, int restarts) {
    }

    public record Evaluation(List<Double> epsilons, int examples, int batchSize, List<String> attacks, Attacks pgd,
                             Attacks targeted, int gammaSteps) {
    }
}
