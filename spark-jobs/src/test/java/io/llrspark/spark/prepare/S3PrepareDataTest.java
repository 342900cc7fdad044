package io.llrspark.spark.prepare;

import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.prepare.ImageNetTree;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.model.data.prepare.PreparedTreeCheck;
import io.llrspark.spark.storage.HadoopStorage;
import io.llrspark.spark.storage.S3Server;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * prepare-data with input and output on s3a:// against a real S3-compatible server: the flat validation layout with
 * Kaggle's labels file, class directories listed and shards written by the executors.
 */
class S3PrepareDataTest {
    @TempDir
    Path dir;

    @Test
    void preparesFromS3ToS3() throws Exception {
        ImageNetTree tree = ImageNetTree.write(dir.resolve("in"), true, false);
        try (S3Server s3 = new S3Server("imagenet-source", "imagenet-prepared")) {
            SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("s3-prepare-test")
                    .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
            s3.hadoopConf().forEach(e -> conf.set("spark.hadoop." + e.getKey(), e.getValue()));
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                HadoopStorage storage = new HadoopStorage(sc.hadoopConfiguration());
                upload(dir.resolve("in"), storage, "s3a://imagenet-source/ilsvrc");
                PrepareDataJob.run(sc, PrepareConfig.from(ConfigLoader.merge(null, List.of(
                        "llr.prepare.input=\"s3a://imagenet-source/ilsvrc\"",
                        "llr.prepare.output=\"s3a://imagenet-prepared/v1\"", "llr.prepare.shard-size=4",
                        "llr.prepare.max-bad-fraction=0.5", "llr.prepare.val-layout=flat",
                        "llr.prepare.val-labels=" + ImageNetTree.LABELS))), "test",
                        new PrintStream(PrintStream.nullOutputStream()));
                PreparedTreeCheck.assertPrepared(tree, storage, "s3a://imagenet-prepared/v1", List.of("train", "val"));
            }
        }
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
