package io.llrspark.spark.train;

import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.objective.ObjectiveHook;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark worker really runs our objective: one worker averaging every step reproduces the local trainer. */
class ObjectiveTrainingMasterTest {

    @Test
    void oneWorkerAveragingEveryStepEqualsTheLocalTrainer() {
        RunConfig c = ConfigLoader.load(null, List.of("llr.training.objective=llr", "llr.training.llr.steps=1",
                "llr.training.llr.warmup-steps=2", "llr.training.batch-size=16", "llr.data.classes=4"));
        LabeledImages data = TestNetworks.bands(64);
        Classifier local = NetworkFactory.build(c.networkSpec(data.shape()));
        ObjectiveHook.bind(local, c.training().objective(), c.seed());

        SparkConf conf = new SparkConf().setMaster("local[1]").setAppName("objective-training-master-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Classifier start = NetworkFactory.build(c.networkSpec(data.shape()));
            INDArray initial = start.model().params().dup();
            ParameterAveragingTrainingMaster.Builder builder = new ParameterAveragingTrainingMaster.Builder(16)
                    .batchSizePerWorker(16).averagingFrequency(1).workerPrefetchNumBatches(0).saveUpdater(true)
                    .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct);
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) start.model(),
                    new ObjectiveTrainingMaster(builder, c.training().objective(), c.seed()));
            for (int b = 0; b < 4; b++) {
                DataSet batch = data.range(16 * b, 16 * (b + 1), DataType.FLOAT);
                local.trainStep(batch);
                // One batch per fit: one split, one averaging round, in the local trainer's order.
                spark.fit(sc.parallelize(List.of(batch), 1));
            }
            INDArray a = local.model().params();
            INDArray s = spark.getNetwork().params();
            double diff = a.sub(s).amaxNumber().doubleValue();
            assertTrue(diff < 1e-5, "Spark and local parameters differ by " + diff);
            assertTrue(s.sub(initial).amaxNumber().doubleValue() > 1e-4, "the Spark run did not train");
        }
    }

    /**
     * Two workers, one batch each, one averaging round: the driver's parameters are the mean of what the two
     * workers produced, as recorded by a hook on the workers themselves.
     */
    @Test
    void averagingRoundGivesTheMeanOfTheWorkersParameters(@TempDir Path dir) throws IOException {
        RunConfig c = ConfigLoader.load(null, List.of("llr.training.objective=llr", "llr.training.llr.steps=1",
                "llr.training.llr.warmup-steps=0", "llr.training.batch-size=16", "llr.data.classes=4"));
        LabeledImages data = TestNetworks.bands(32);
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("averaging-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            Classifier start = NetworkFactory.build(c.networkSpec(data.shape()));
            ParameterAveragingTrainingMaster.Builder builder = new ParameterAveragingTrainingMaster.Builder(16)
                    .batchSizePerWorker(16).averagingFrequency(1).workerPrefetchNumBatches(0).saveUpdater(true)
                    .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct)
                    .trainingHooks(new ParameterRecorder(dir.toString()));
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) start.model(),
                    new ObjectiveTrainingMaster(builder, c.training().objective(), c.seed()));
            INDArray initial = spark.getNetwork().params().dup();
            spark.fit(sc.parallelize(List.of(data.range(0, 16, DataType.FLOAT), data.range(16, 32, DataType.FLOAT)), 2));

            List<INDArray> produced = new ArrayList<>();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    produced.add(Nd4j.readBinary(f.toFile()));
                }
            }
            assertEquals(2, produced.size(), "each worker records its parameters once");
            assertTrue(produced.get(0).sub(produced.get(1)).amaxNumber().doubleValue() > 1e-6,
                    "the workers saw different batches, so their parameters must differ");
            INDArray mean = produced.get(0).add(produced.get(1)).divi(2);
            double diff = spark.getNetwork().params().sub(mean).amaxNumber().doubleValue();
            assertTrue(diff < 1e-6, "averaged parameters differ from the workers' mean by " + diff);
            assertTrue(mean.sub(initial).amaxNumber().doubleValue() > 1e-4);
        }
    }

    /** Saves a worker's parameters after each of its updates, one file per update. */
    static final class ParameterRecorder implements TrainingHook {
        private final String directory;

        ParameterRecorder(String directory) {
            this.directory = directory;
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
            try {
                Nd4j.saveBinary(model.params(), new File(directory, UUID.randomUUID() + ".bin"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
        }
    }
}
