package io.llrspark.spark.train;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.train.DiagnosticsAverage;
import io.llrspark.model.objective.ObjectiveHook;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * After each worker step, adds the objective's diagnostics and the step's time to the driver-side accumulator: the
 * time workers spend in steps, against a round's wall time, tells what averaging and scheduling cost. Both go in one
 * accumulator, so a task Spark runs twice to success counts its steps' time once too.
 */
public final class DiagnosticsHook implements TrainingHook {
    private final DiagnosticsAccumulator accumulator;
    private transient long stepStart;

    public DiagnosticsHook(DiagnosticsAccumulator accumulator) {
        this.accumulator = accumulator;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        stepStart = System.nanoTime();
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        record(model, minibatch.numExamples());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        stepStart = System.nanoTime();
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        record(model, (int) minibatch.getFeatures(0).size(0));
    }

    private void record(Model model, int examples) {
        DiagnosticsAverage d = new DiagnosticsAverage();
        d.add(ObjectiveHook.of((Classifier) model).lastStep(), examples);
        d.addStepNanos(System.nanoTime() - stepStart);
        accumulator.add(d);
    }
}
