package io.llrspark.spark.train;

import io.llrspark.model.train.RunStart;
import com.typesafe.config.Config;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.train.LocalTrainer;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.spark.KryoSettings;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train job's driver over real Spark local mode, against the local trainer it must agree with. */
class TrainJobTest {
    @TempDir
    Path dir;

    private List<String> settings(LabeledImages data, String output, String... more) throws IOException {
        List<String> s = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        s.addAll(List.of("llr.training.objective=llr", "llr.training.llr.steps=1", "llr.training.llr.warmup-steps=3",
                "llr.training.batch-size=16", "llr.training.epochs=1", "llr.training.log-every=2",
                "llr.output=\"" + output + "\""));
        s.addAll(List.of(more));
        return s;
    }

    /** Spark with its default Java serialization, or with Kryo as the launchers set it. */
    private static JavaSparkContext spark(int threads, String serializer) {
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "]").setAppName("train-job-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        return new JavaSparkContext(serializer.equals("kryo") ? KryoSettings.on(conf) : conf);
    }

    /**
     * One worker averaging every 4 steps, over 6 minibatches (a full round and a partial one): the same parameters
     * as the local trainer, because the worker runs our objective with the local trainer's order and random starts.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java", "kryo", "kryo, nesterov with a schedule and weight decay"})
    void oneWorkerTrainsExactlyLikeTheLocalTrainer(String variant) throws IOException {
        String serializer = variant.split(",")[0];
        // The learning rate drops inside the first round (at step 3 of 4): the worker must count steps as the driver.
        String[] optimizer = variant.contains("nesterov") ? new String[]{"llr.training.optimizer=nesterov",
                "llr.training.learning-rate=0.05", "llr.training.lr-boundaries=[3]", "llr.training.weight-decay=0.01"}
                : new String[0];
        LabeledImages data = TestNetworks.bands(96);
        List<String> spark = new ArrayList<>(settings(data, dir.resolve("spark").toString(), optimizer));
        spark.addAll(List.of("llr.spark.workers=1", "llr.spark.averaging-frequency=4"));
        Config merged = ConfigLoader.merge(null, spark);
        RunConfig sparkConfig = ConfigLoader.fromMerged(merged);
        RunConfig localConfig = ConfigLoader.load(null, settings(data, dir.resolve("local").toString(), optimizer));

        TrainingLoop.Result local = new LocalTrainer(localConfig, new LocalStorage(), quiet()).train(data, RunStart.NEW);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingLoop.Result distributed;
        try (JavaSparkContext sc = spark(1, serializer)) {
            distributed = TrainJob.run(sc, sparkConfig, SparkSettings.from(merged),
                    new HadoopStorage(sc.hadoopConfiguration()), RunStart.NEW, new PrintStream(log, true, StandardCharsets.UTF_8));
        }
        INDArray a = local.network().model().params();
        INDArray b = distributed.network().model().params();
        double diff = a.sub(b).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "Spark and local parameters differ by " + diff);
        assertEquals(6, distributed.network().iteration(), "6 steps: a round of 4 and a round of 2");
        // The executors' diagnostics reach the driver: the same clean CE and γ as the local steps measured.
        assertEquals(((Number) local.epochs().get(0).get("clean_ce")).doubleValue(),
                ((Number) distributed.epochs().get(0).get("clean_ce")).doubleValue(), 1e-4);
        assertEquals(((Number) local.epochs().get(0).get("gamma")).doubleValue(),
                ((Number) distributed.epochs().get(0).get("gamma")).doubleValue(), 1e-4);
        assertEquals(6L, ((Number) distributed.epochs().get(0).get("steps")).longValue());

        CheckpointStore.Loaded loaded = new CheckpointStore(new LocalStorage(), dir.resolve("spark").toString())
                .load(distributed.checkpoint());
        assertEquals(0.0, loaded.network().model().params().sub(b).amaxNumber().doubleValue());
        assertTrue(Files.readString(dir.resolve("spark/metrics.jsonl")).contains("\"gamma\""));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("ETA"), "progress lines carry an ETA");
    }

    /** Two workers on the residual graph with batch normalization: trains, diagnostics from both workers. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java", "kryo"})
    void twoWorkersTrainTheBatchNormGraph(String serializer) throws IOException {
        LabeledImages data = TestNetworks.bands(64);
        Config merged = ConfigLoader.merge(null, settings(data, dir.resolve("graph").toString(),
                "llr.network.architecture=small-resnet", "llr.spark.workers=2", "llr.spark.averaging-frequency=1"));
        RunConfig config = ConfigLoader.fromMerged(merged);
        TrainingLoop.Result r;
        List<String> jobs = java.util.Collections.synchronizedList(new ArrayList<>());
        try (JavaSparkContext sc = spark(2, serializer)) {
            sc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                    jobs.add(start.properties().getProperty("spark.jobGroup.id") + " | "
                            + start.properties().getProperty("spark.job.description"));
                }
            });
            r = TrainJob.run(sc, config, SparkSettings.from(merged), new HadoopStorage(sc.hadoopConfiguration()), RunStart.NEW, quiet());
        }
        assertEquals(4, jobs.size(), "one Spark job per round: " + jobs);
        for (String job : jobs) {
            assertTrue(job.matches("llr-train \\| llr epoch 1/1, batches \\d+-\\d+ of 4 on 2 workers"), job);
        }
        assertEquals(4, r.network().iteration(), "4 minibatches of 16, each split over 2 workers: 4 rounds of one step");
        assertEquals(8L, ((Number) r.epochs().get(0).get("steps")).longValue(), "every worker's step is counted");
        assertTrue(Double.isFinite(((Number) r.epochs().get(0).get("gamma")).doubleValue()));
    }

    @Test
    void eachWorkerGetsASliceOfEveryMinibatch() {
        List<int[]> batches = List.of(new int[]{0, 1, 2, 3, 4, 5}, new int[]{6, 7, 8, 9, 10, 11}, new int[]{12, 13, 14});
        List<List<int[]>> parts = ParameterAveragingSteps.slices(batches, 2);
        assertEquals(2, parts.size());
        assertEquals(List.of(3, 3, 2), parts.get(0).stream().map(b -> b.length).toList());
        assertEquals(List.of(3, 3, 1), parts.get(1).stream().map(b -> b.length).toList());
        assertEquals(9, parts.get(1).get(1)[0]);
        assertEquals(1, ParameterAveragingSteps.slices(List.<int[]>of(new int[]{7}), 2).size(), "no empty worker");
    }

    private static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
