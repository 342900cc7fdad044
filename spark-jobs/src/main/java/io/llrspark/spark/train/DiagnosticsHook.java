package io.llrspark.spark.train;

import io.llrspark.model.net.Classifier;
import io.llrspark.model.train.DiagnosticsAverage;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** After each worker step, adds the objective's diagnostics to a driver-side accumulator. */
public final class DiagnosticsHook implements TrainingHook {
    private final DiagnosticsAccumulator accumulator;

    public DiagnosticsHook(DiagnosticsAccumulator accumulator) {
        this.accumulator = accumulator;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        record(model, minibatch.numExamples());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        record(model, (int) minibatch.getFeatures(0).size(0));
    }

    private void record(Model model, int examples) {
        DiagnosticsAverage d = new DiagnosticsAverage();
        d.add(((Classifier) model).lastStep(), examples);
        accumulator.add(d);
    }
}
