package io.llrspark.spark.storage;

import io.llrspark.model.train.RunStart;
import com.typesafe.config.Config;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.eval.CheckpointEvaluation;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.spark.train.SparkSettings;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.spark.eval.SparkOutcomes;
import io.llrspark.spark.train.TrainJob;
import io.llrspark.model.settings.ConfigError;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Train, resume and evaluate with every path on s3a:// (data, checkpoints, metrics, reports) against a real
 * S3-compatible server, in Spark local mode with two workers that read the data from S3 themselves; then against
 * one that fails, stalls or goes away.
 */
class S3TrainEvaluateTest {
    @TempDir
    Path dir;

    @Test
    void trainResumeAndEvaluateWithEveryPathOnS3() throws Exception {
        try (S3Server s3 = new S3Server("data", "runs")) {
            trainResumeAndEvaluate(s3.hadoopConf());
        }
    }

    /**
     * The same run against a store that answers one request in ten with 500 or 503 and lets one in thirty stall past
     * the client's timeout: it completes, and every retry is logged with its request.
     */
    @Test
    void aFlakyStoreCostsRetriesNotTheRun() throws Exception {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.function.Consumer<String> log = RetryLoggingS3ClientFactory.retries;
        RetryLoggingS3ClientFactory.retries = log.andThen(logged::add);
        try (S3Server s3 = new S3Server(new FaultyBlobStore.Faults(0.10, 0.03, 2500, 7), "data", "runs")) {
            trainResumeAndEvaluate(withDefaults(s3));
            assertTrue(s3.injectedFaults() >= 10, "faults injected: " + s3.injectedFaults());
            assertTrue(logged.size() >= s3.injectedFaults() / 2, logged.size() + " retries logged for "
                    + s3.injectedFaults() + " faults: " + logged);
            assertTrue(logged.stream().anyMatch(m -> m.matches("retrying s3a (GET|PUT|HEAD|LIST) s3a://(data|runs)/.* "
                    + "\\(\\d/4\\): .*")), logged.toString());
        } finally {
            RetryLoggingS3ClientFactory.retries = log;
        }
    }

    /** A store that goes away for good stops the job within a bounded time, naming what it could not reach. */
    @Test
    void aStoreThatGoesAwayStopsTheJobNamingTheUri() throws Exception {
        try (S3Server s3 = new S3Server("data", "runs")) {
            Configuration hadoop = withDefaults(s3);
            upload(new HadoopStorage(hadoop));
            s3.failEverything();
            long start = System.nanoTime();
            ConfigError e = assertThrows(ConfigError.class, () -> io.llrspark.model.data.sources.ExampleSources
                    .training(ConfigLoader.load(null, settings()).data(), 1).requireExists(new HadoopStorage(hadoop)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().startsWith("llr.data.train-images: cannot reach s3a://data/bands/images.idx"),
                    e.getMessage());
            assertTrue(seconds < 60, "gave up after " + seconds + " s");
        }
    }

    /** The s3a settings the jobs run with, less the client timeout, so that a stalled request is a dropped one. */
    private static Configuration withDefaults(S3Server s3) {
        Configuration conf = s3.hadoopConf();
        S3aDefaults.VALUES.forEach(conf::set);
        conf.set("fs.s3a.connection.timeout", "1000");
        return conf;
    }

    private void trainResumeAndEvaluate(Configuration hadoop) throws Exception {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("s3-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        hadoop.getPropsWithPrefix("fs.s3a.").forEach((k, v) -> conf.set("spark.hadoop.fs.s3a." + k, v));
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            HadoopStorage storage = new HadoopStorage(sc.hadoopConfiguration());
            upload(storage);
            List<String> settings = settings();
            List<String> oneEpoch = new ArrayList<>(settings);
            oneEpoch.add("llr.training.epochs=1");
            train(sc, storage, oneEpoch, false, quiet);
            List<String> twoEpochs = new ArrayList<>(settings);
            twoEpochs.add("llr.training.epochs=2");
            TrainingLoop.Result resumed = train(sc, storage, twoEpochs, true, quiet);
            assertEquals("s3a://runs/bands/checkpoints/ckpt-e0002-i000000008", resumed.checkpoint());
            assertEquals(2, new CheckpointStore(storage, "s3a://runs/bands").committed().size());
            assertTrue(storage.exists("s3a://runs/bands/metrics.jsonl"));

            RunConfig config = ConfigLoader.load(null, twoEpochs);
            CheckpointEvaluation.Written report = new CheckpointEvaluation(config, storage, quiet).evaluate(
                    resumed.checkpoint(), "test", new SparkOutcomes(sc, config, storage, 0, quiet));
            assertEquals("s3a://runs/bands/reports/ckpt-e0002-i000000008/report.json", report.path());
            assertEquals(32, ((Number) report.report().get("examples")).intValue());
            assertTrue(storage.exists("s3a://runs/bands/reports/ckpt-e0002-i000000008/robust-accuracy.png"));
        }
    }

    private void upload(HadoopStorage storage) throws Exception {
        IdxFiles.writeIdx(TestNetworks.bands(64), dir);
        for (String name : List.of("images.idx", "labels.idx")) {
            try (OutputStream out = storage.create("s3a://data/bands/" + name)) {
                out.write(Files.readAllBytes(dir.resolve(name)));
            }
        }
    }

    private static List<String> settings() {
        return new ArrayList<>(List.of(
                "llr.data.train-images=\"s3a://data/bands/images.idx\"",
                "llr.data.train-labels=\"s3a://data/bands/labels.idx\"",
                "llr.data.test-images=\"s3a://data/bands/images.idx\"",
                "llr.data.test-labels=\"s3a://data/bands/labels.idx\"", "llr.data.classes=4",
                "llr.training.objective=llr", "llr.training.llr.steps=1", "llr.training.batch-size=16",
                "llr.spark.workers=2", "llr.spark.averaging-frequency=2", "llr.output=\"s3a://runs/bands\"",
                "llr.evaluation.examples=32", "llr.evaluation.batch-size=16", "llr.evaluation.pgd.steps=3",
                "llr.evaluation.pgd.restarts=1", "llr.evaluation.gamma-steps=2",
                "llr.evaluation.verdict.enabled=false"));
    }

    private static TrainingLoop.Result train(JavaSparkContext sc, HadoopStorage storage, List<String> settings,
                                             boolean resume, PrintStream log) throws Exception {
        Config merged = ConfigLoader.merge(null, settings);
        return TrainJob.run(sc, ConfigLoader.fromMerged(merged), SparkSettings.from(merged), storage, resume ? RunStart.RESUME : RunStart.NEW, log);
    }
}
