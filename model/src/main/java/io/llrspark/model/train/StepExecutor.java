package io.llrspark.model.train;

import io.llrspark.model.net.Classifier;

import java.io.IOException;
import java.util.List;

/**
 * How a {@link TrainingLoop} takes its optimizer steps: one minibatch at a time in this process
 * ({@link LocalSteps}), or in rounds of parameter averaging over Spark executors. The loop owns data order,
 * checkpoints, metrics and progress; an executor only trains.
 */
public interface StepExecutor {

    /** Minibatches one round consumes; the loop logs and checkpoints only between rounds. */
    int batchesPerRound();

    /**
     * Trains {@code net} on {@code batches} (example indices per minibatch, in the loop's order) of {@code epoch}
     * (which seeds data augmentation). Afterwards the
     * network holds the round's parameters, updater state and step count.
     *
     * @param description what the round is, for logs and UIs ("epoch 1/2, batches 1-8 of 469")
     * @return the diagnostics of every step the round took
     */
    DiagnosticsAverage runRound(Classifier net, int epoch, List<int[]> batches, String description) throws IOException;
}
