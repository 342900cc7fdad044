package io.llrspark.model.train;

import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/** Steps taken one minibatch at a time in this process, from images held in memory. */
public final class LocalSteps implements StepExecutor {
    private final LabeledImages data;
    private final DataType type;

    public LocalSteps(LabeledImages data, DataType type) {
        this.data = data;
        this.type = type;
    }

    @Override
    public int batchesPerRound() {
        return 1;
    }

    @Override
    public DiagnosticsAverage runRound(Classifier net, List<int[]> batches, String description) {
        DiagnosticsAverage d = new DiagnosticsAverage();
        for (int[] indices : batches) {
            DataSet batch = data.batch(indices, type);
            net.trainStep(batch);
            d.add(net.lastStep(), batch.numExamples());
        }
        return d;
    }
}
