package io.llrspark.spark.train;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.train.DiagnosticsAverage;
import io.llrspark.model.objective.ObjectiveHook;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * After each worker step, adds the objective's diagnostics and the step's time to driver-side accumulators: the time
 * workers spend in steps, against a round's wall time, tells what averaging and scheduling cost.
 */
public final class DiagnosticsHook implements TrainingHook {
    private final DiagnosticsAccumulator accumulator;
    private final LongAccumulator stepNanos;
    private transient long stepStart;

    public DiagnosticsHook(DiagnosticsAccumulator accumulator, LongAccumulator stepNanos) {
        this.accumulator = accumulator;
        this.stepNanos = stepNanos;
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
        stepNanos.add(System.nanoTime() - stepStart);
        DiagnosticsAverage d = new DiagnosticsAverage();
        d.add(ObjectiveHook.of((Classifier) model).lastStep(), examples);
        accumulator.add(d);
    }
}
