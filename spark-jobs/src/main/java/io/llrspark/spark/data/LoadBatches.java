package io.llrspark.spark.data;

import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.Examples;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/** On an executor: a worker's minibatches (example indices) of a round, read through the JVM's own reader. */
public final class LoadBatches implements FlatMapFunction<LoadBatches.WorkerBatches, DataSet> {
    private final ExampleSource source;
    private final HadoopSettings hadoop;
    private final DataType type;

    /** One worker's share of a round: its slice of each minibatch, and the epoch (which seeds augmentation). */
    public record WorkerBatches(int epoch, List<int[]> batches) implements Serializable {
    }

    public LoadBatches(ExampleSource source, HadoopSettings hadoop, DataType type) {
        this.source = source;
        this.hadoop = hadoop;
        this.type = type;
    }

    @Override
    public Iterator<DataSet> call(WorkerBatches work) throws Exception {
        Examples examples = source.open(new HadoopStorage(hadoop.toConfiguration()));
        // Lazily, so a worker holds one decoded minibatch (plus its prefetch) at a time.
        return work.batches().stream().map(indices -> examples.batch(indices, work.epoch(), type)).iterator();
    }
}
