package io.llrspark.model.train;

import io.llrspark.model.data.Examples;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.objective.ObjectiveHook;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/** Steps taken one minibatch at a time in this process. */
public final class LocalSteps implements StepExecutor {
    private final Examples data;
    private final DataType type;

    public LocalSteps(Examples data, DataType type) {
        this.data = data;
        this.type = type;
    }

    @Override
    public int batchesPerRound() {
        return 1;
    }

    @Override
    public DiagnosticsAverage runRound(Classifier net, int epoch, List<int[]> batches, String description) {
        DiagnosticsAverage d = new DiagnosticsAverage();
        for (int[] indices : batches) {
            DataSet batch = data.batch(indices, epoch, type);
            net.trainStep(batch);
            d.add(ObjectiveHook.of(net).lastStep(), batch.numExamples());
        }
        return d;
    }
}
