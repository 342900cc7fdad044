package io.llrspark.spark.prepare;

import io.llrspark.model.train.RunStart;
import com.typesafe.config.Config;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.prepare.ImageNetTree;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.model.data.prepare.PreparedTreeCheck;
import io.llrspark.model.net.layers.PixelNormalization;
import io.llrspark.model.eval.CheckpointEvaluation;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.spark.train.SparkSettings;
import io.llrspark.spark.eval.SparkOutcomes;
import io.llrspark.spark.storage.HadoopStorage;
import io.llrspark.spark.storage.S3Server;
import io.llrspark.spark.train.TrainJob;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.PreprocessorVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ImageNet path end to end with every path on s3a:// against a real S3-compatible server: prepare-data from an
 * ImageNet-layout tree of real JPEGs (grayscale, CMYK, YCCK, PNG, corrupt, zero-byte and non-image files; flat
 * validation layout with Kaggle's labels file), then LLR training of a ResNet from the ImageNet builder on the shards
 * (JPEGs decoded and augmented by the two workers), resumed from its S3 checkpoint, then the distributed evaluation
 * of the validation split.
 */
class S3ImagePipelineTest {
    @TempDir
    Path dir;

    @Test
    void prepareTrainResumeAndEvaluateOnS3() throws Exception {
        ImageNetTree tree = ImageNetTree.write(dir.resolve("in"), true, false);
        try (S3Server s3 = new S3Server("imagenet-source", "imagenet-prepared", "imagenet-runs")) {
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("s3-image-pipeline-test")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
            s3.hadoopConf().forEach(e -> conf.set("spark.hadoop." + e.getKey(), e.getValue()));
            PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                HadoopStorage storage = new HadoopStorage(sc.hadoopConfiguration());
                upload(dir.resolve("in"), storage, "s3a://imagenet-source/ilsvrc");
                PrepareDataJob.run(sc, PrepareConfig.from(ConfigLoader.merge(null, List.of(
                        "llr.prepare.input=\"s3a://imagenet-source/ilsvrc\"",
                        "llr.prepare.output=\"s3a://imagenet-prepared/v1\"", "llr.prepare.shard-size=4",
                        "llr.prepare.max-bad-fraction=0.5", "llr.prepare.val-layout=flat",
                        "llr.prepare.val-labels=" + ImageNetTree.LABELS))), "test", quiet);
                PreparedTreeCheck.assertPrepared(tree, storage, "s3a://imagenet-prepared/v1", List.of("train", "val"));

                List<String> settings = new ArrayList<>(List.of("llr.data.format=prepared",
                        "llr.data.prepared=\"s3a://imagenet-prepared/v1\"", "llr.data.image-size=32",
                        "llr.data.shuffle-window=2", "llr.network.architecture=resnet-tiny",
                        "llr.training.objective=llr", "llr.training.llr.steps=1", "llr.training.epsilon=0.0157",
                        "llr.training.batch-size=4", "llr.spark.workers=2", "llr.spark.averaging-frequency=2",
                        "llr.output=\"s3a://imagenet-runs/tiny\"", "llr.evaluation.epsilons=[0.0157]",
                        "llr.evaluation.batch-size=4", "llr.evaluation.pgd.steps=3", "llr.evaluation.pgd.restarts=1",
                        "llr.evaluation.gamma-steps=2"));
                int trainExamples = tree.files("train") - tree.badCount("train");
                int batches = (trainExamples + 3) / 4;
                List<String> oneEpoch = new ArrayList<>(settings);
                oneEpoch.add("llr.training.epochs=1");
                TrainingLoop.Result first = train(sc, storage, oneEpoch, false, quiet);
                assertEquals(String.format("s3a://imagenet-runs/tiny/checkpoints/ckpt-e0001-i%09d", batches),
                        first.checkpoint());
                List<String> twoEpochs = new ArrayList<>(settings);
                twoEpochs.add("llr.training.epochs=2");
                TrainingLoop.Result resumed = train(sc, storage, twoEpochs, true, quiet);
                assertEquals(String.format("s3a://imagenet-runs/tiny/checkpoints/ckpt-e0002-i%09d", 2 * batches),
                        resumed.checkpoint());
                assertEquals(1, resumed.epochs().size(), "the resumed run trained the second epoch only");
                assertEquals(2, new CheckpointStore(storage, "s3a://imagenet-runs/tiny").committed().size());
                ComputationGraph graph = (ComputationGraph) resumed.network().model();
                assertInstanceOf(PixelNormalization.class,
                        ((PreprocessorVertex) graph.getVertex("normalize")).getPreProcessor(),
                        "the ImageNet builder normalizes inside the network");

                RunConfig config = ConfigLoader.load(null, twoEpochs);
                CheckpointEvaluation.Written report = new CheckpointEvaluation(config, storage, quiet).evaluate(
                        resumed.checkpoint(), "test", new SparkOutcomes(sc, config, storage, 0, quiet));
                int valExamples = tree.files("val") - tree.badCount("val");
                assertEquals(valExamples, ((Number) report.report().get("examples")).intValue());
                assertEquals("s3a://imagenet-prepared/v1 (val)", report.report().get("dataset"));
                assertTrue(storage.exists(report.path()), report.path());
            }
        }
    }

    private static TrainingLoop.Result train(JavaSparkContext sc, HadoopStorage storage, List<String> settings,
                                             boolean resume, PrintStream log) throws Exception {
        Config merged = ConfigLoader.merge(null, settings);
        return TrainJob.run(sc, ConfigLoader.fromMerged(merged), SparkSettings.from(merged), storage, resume ? RunStart.RESUME : RunStart.NEW, log);
    }

    private static void upload(Path root, HadoopStorage storage, String target) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (OutputStream out = storage.create(target + "/" + root.relativize(f))) {
                    out.write(Files.readAllBytes(f));
                }
            }
        }
    }
}
