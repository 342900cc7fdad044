package io.llrspark.spark.data;

import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.Iterator;
import java.util.List;

/** On an executor: a worker's list of minibatches (example indices) into DataSets decoded from its own copy. */
public final class LoadBatches implements FlatMapFunction<List<int[]>, DataSet> {
    private final IdxSource source;
    private final HadoopSettings hadoop;
    private final DataType type;

    public LoadBatches(IdxSource source, HadoopSettings hadoop, DataType type) {
        this.source = source;
        this.hadoop = hadoop;
        this.type = type;
    }

    @Override
    public Iterator<DataSet> call(List<int[]> batches) {
        var images = source.load(new HadoopStorage(hadoop.toConfiguration()));
        // Lazily, so a worker holds one decoded minibatch (plus its prefetch) at a time.
        return batches.stream().map(indices -> images.batch(indices, type)).iterator();
    }
}
