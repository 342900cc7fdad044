package io.llrspark.spark.prepare;

import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.prepare.DatasetPreparation;
import io.llrspark.model.data.prepare.ImageNetTree;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.model.data.prepare.PreparedTreeCheck;
import io.llrspark.spark.KryoSettings;
import io.llrspark.spark.MainAccess;
import io.llrspark.spark.storage.HadoopStorage;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * prepare-data on Spark local mode (two executor threads, Kryo as the launchers set it) over a generated ImageNet
 * tree of real JPEGs with planted bad files: manifest, class index and every shard record checked against the tree;
 * a re-run writes byte-identical shards; too many bad files exit non-zero naming the counts and the limit.
 */
class PrepareDataTest {
    private static final List<String> SPLITS = List.of("train", "val");
    @TempDir
    Path dir;

    @AfterEach
    void clearSparkProperties() {
        for (String key : List.of("spark.master", "spark.ui.enabled", "spark.driver.host")) {
            System.clearProperty(key);
        }
    }

    private List<String> settings(String output, String... more) {
        List<String> s = new ArrayList<>(List.of("llr.prepare.input=\"" + dir.resolve("in") + "\"",
                "llr.prepare.output=\"" + dir.resolve(output) + "\"", "llr.prepare.shard-size=5",
                "llr.prepare.max-bad-fraction=0.5"));
        s.addAll(List.of(more));
        return s;
    }

    @Test
    void preparesOnExecutorsAndARerunWritesIdenticalShards() throws Exception {
        ImageNetTree tree = ImageNetTree.write(dir.resolve("in"), false, false);
        SparkConf conf = KryoSettings.on(new SparkConf().setMaster("local[2]").setAppName("prepare-data-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            HadoopStorage storage = new HadoopStorage(sc.hadoopConfiguration());
            DatasetPreparation.Result first = PrepareDataJob.run(sc,
                    PrepareConfig.from(ConfigLoader.merge(null, settings("first"))), "test", out);
            String output = dir.resolve("first").toString();
            PreparedTreeCheck.assertPrepared(tree, storage, output, SPLITS);
            assertEquals(tree.files("train") + tree.files("val"), first.files());
            Map<String, byte[]> shards = PreparedTreeCheck.shardBytes(storage, output, SPLITS);
            byte[] manifest = Files.readAllBytes(dir.resolve("first/manifest.json"));
            // 17 train files in shards of 5 and 8 val files: 4 + 2 shards.
            assertEquals(6, shards.size());

            PrepareDataJob.run(sc, PrepareConfig.from(ConfigLoader.merge(null, settings("first"))), "test", out);
            Map<String, byte[]> again = PreparedTreeCheck.shardBytes(storage, output, SPLITS);
            assertEquals(shards.keySet(), again.keySet());
            shards.forEach((path, bytes) -> assertArrayEquals(bytes, again.get(path), path));
            assertArrayEquals(manifest, Files.readAllBytes(dir.resolve("first/manifest.json")));
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[prepare-data: write 6 shards] 6/6 (100%)"), text);
        assertTrue(text.contains("train: 12 examples in 4 shards; 5 of 17 files skipped"), text);
    }

    @Test
    void theCommandFailsWithCountsAndLimitWhenTooManyFilesAreBad() throws Exception {
        ImageNetTree.write(dir.resolve("in"), false, false);
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
        Path config = Files.writeString(dir.resolve("prepare.conf"), "llr.prepare { input = \"" + dir.resolve("in")
                + "\", output = \"" + dir.resolve("out") + "\", shard-size = 4, max-bad-fraction = 0.3 }\n");

        MainAccess.Outcome ok = MainAccess.run(List.of("prepare-data", "--config", config.toString()));
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.exists(dir.resolve("out/manifest.json")));

        MainAccess.Outcome bad = MainAccess.run(List.of("prepare-data", "--config", config.toString(),
                "--set", "llr.prepare.max-bad-fraction=0.25"));
        assertEquals(2, bad.status(), bad.err());
        String last = bad.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("data error: " + dir.resolve("in") + ": train: 5 of 17 files skipped (29.4 %: zero_byte 1, "
                + "not_an_image 2, corrupt 2), more than llr.prepare.max-bad-fraction = 0.25 allows; no manifest "
                + "written", last);
        assertFalse(Files.exists(dir.resolve("out/manifest.json")), "no manifest describes the failed run's output");
    }

    @Test
    void badSettingsAndMissingInputsFailBeforeSparkStarts() throws Exception {
        System.setProperty("spark.master", "unusable://no-spark-in-this-test");
        Path config = Files.writeString(dir.resolve("prepare.conf"), "llr.prepare { input = \"" + dir.resolve("in")
                + "\", output = \"" + dir.resolve("out") + "\" }\n");
        MainAccess.Outcome missing = MainAccess.run(List.of("prepare-data", "--config", config.toString()));
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("config error: llr.prepare.input: " + dir.resolve("in") + "/train does "
                + "not exist"), missing.err());
        MainAccess.Outcome badSize = MainAccess.run(List.of("prepare-data", "--config", config.toString(), "--set",
                "llr.prepare.shard-size=-1"));
        assertEquals("config error: llr.prepare.shard-size: must be a positive integer, got -1", badSize.err().strip());
        assertEquals(2, MainAccess.run(List.of("prepare-data")).status());
    }
}
