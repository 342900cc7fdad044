package io.llrspark.spark.e2e;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Map;

/**
 * A process that does nothing but write checkpoints, for {@link TornCheckpointIT} to kill at random points: it goes
 * on from the newest committed checkpoint under {@code args[0]} (any Hadoop URI; {@code key=value} Hadoop settings
 * follow) and writes iteration after iteration, each network's parameters all equal to its iteration, so that a
 * checkpoint mixing two writes shows. It says "writing N" before each write and "committed N" after.
 */
public final class CheckpointWriter {
    private CheckpointWriter() {
    }

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        for (String setting : List.of(args).subList(1, args.length)) {
            int eq = setting.indexOf('=');
            conf.set(setting.substring(0, eq), setting.substring(eq + 1));
        }
        CheckpointStore store = new CheckpointStore(new HadoopStorage(conf), args[0]);
        long iteration = store.latest().map(CheckpointWriter::iterationOf).orElse(0L);
        // SmallCNN on 28x28 images: 421 642 parameters, a model.zip of about 1.6 MB.
        Classifier net = NetworkFactory.build(new NetworkSpec(NetworkFactory.SMALL_CNN, "softplus", 1, 28, 28, 10,
                DataType.FLOAT, 1, 1e-3));
        while (true) {
            iteration++;
            net.model().params().assign(iteration);
            System.out.println("writing " + iteration);
            store.write(net, new TrainingPosition(0, iteration, 0), "llr { seed = 1 }", Map.of());
            System.out.println("committed " + iteration);
        }
    }

    static long iterationOf(String checkpoint) {
        return Long.parseLong(checkpoint.substring(checkpoint.lastIndexOf("-i") + 2));
    }
}
