package io.llrspark.spark.eval;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.Examples;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.eval.AttackProtocol;
import io.llrspark.model.eval.ExampleOutcome;
import io.llrspark.model.eval.StageSeconds;
import io.llrspark.spark.data.HadoopSettings;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.DoubleAccumulator;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * On an executor: attacks the evaluation batches of one partition. The network is restored from the broadcast
 * checkpoint once per task (networks are not safe to share between a JVM's concurrent tasks); the test set is read
 * once per JVM.
 */
final class AttackBatches implements FlatMapFunction<Iterator<Integer>, ExampleOutcome> {
    private final Broadcast<CheckpointStore.Blob> checkpoint;
    private final RunConfig.Evaluation evaluation;
    private final long seed;
    private final ExampleSource test;
    private final HadoopSettings hadoop;
    private final DataType type;
    private final Map<String, DoubleAccumulator> stageSeconds;

    /** @param stageSeconds per stage of the evaluation, the seconds it takes here are added (the driver's progress) */
    AttackBatches(Broadcast<CheckpointStore.Blob> checkpoint, RunConfig.Evaluation evaluation, long seed, ExampleSource test,
                  HadoopSettings hadoop, DataType type, Map<String, DoubleAccumulator> stageSeconds) {
        this.checkpoint = checkpoint;
        this.evaluation = evaluation;
        this.seed = seed;
        this.test = test;
        this.hadoop = hadoop;
        this.type = type;
        this.stageSeconds = stageSeconds;
    }

    @Override
    public Iterator<ExampleOutcome> call(Iterator<Integer> batches) throws Exception {
        if (!batches.hasNext()) {
            return List.<ExampleOutcome>of().iterator();
        }
        Classifier net = checkpoint.value().restore();
        Examples images = test.open(new HadoopStorage(hadoop.toConfiguration()));
        AttackProtocol protocol = new AttackProtocol(evaluation, seed);
        List<ExampleOutcome> out = new ArrayList<>();
        while (batches.hasNext()) {
            List<ExampleOutcome> batch = protocol.batch(net, images, batches.next(), type);
            StageSeconds.of(evaluation, batch).forEach((stage, seconds) -> stageSeconds.get(stage).add(seconds));
            out.addAll(batch);
        }
        return out.iterator();
    }
}
