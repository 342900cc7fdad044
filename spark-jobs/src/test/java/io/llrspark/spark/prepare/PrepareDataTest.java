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
import java.util.Arrays;
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

    /**
     * A generated tree under in/, Spark local mode for the job's entry point, and a prepare-data configuration writing
     * shards of 4 to out/ that fails above {@code maxBadFraction} bad files.
     */
    private Path treeAndLocalSpark(double maxBadFraction) throws Exception {
        ImageNetTree.write(dir.resolve("in"), false, false);
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.host", "127.0.0.1");
        return Files.writeString(dir.resolve("prepare.conf"), "llr.prepare { input = \"" + dir.resolve("in")
                + "\", output = \"" + dir.resolve("out") + "\", shard-size = 4, max-bad-fraction = " + maxBadFraction
                + " }\n");
    }

    @Test
    void theCommandFailsWithCountsAndLimitWhenTooManyFilesAreBad() throws Exception {
        Path config = treeAndLocalSpark(0.3);

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

    /**
     * Training on a prepared dataset whose shards were damaged after preparation: a missing shard stops the driver
     * before Spark starts, a shard cut short is found by the task that reads it; both end in one line naming the
     * shard, exit 2.
     */
    @Test
    void damagedShardsAreOneLineNamingTheShard() throws Exception {
        Path config = treeAndLocalSpark(0.5);
        assertEquals(0, MainAccess.run(List.of("prepare-data", "--config", config.toString())).status());
        List<Path> shards;
        try (var listed = Files.list(dir.resolve("out/train"))) {
            shards = listed.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        List<String> train = new ArrayList<>(List.of("train", "--config", "../conf/local.conf"));
        for (String s : List.of("llr.data.format=prepared", "llr.data.prepared=\"" + dir.resolve("out") + "\"",
                "llr.data.image-size=16", "llr.network.architecture=resnet-tiny", "llr.training.objective=standard",
                "llr.training.batch-size=4", "llr.training.epochs=1", "llr.spark.workers=2",
                "llr.output=\"" + dir.resolve("run") + "\"")) {
            train.addAll(List.of("--set", s));
        }

        Path missing = shards.get(1);
        byte[] kept = Files.readAllBytes(missing);
        Files.delete(missing);
        System.setProperty("spark.master", "unusable://no-spark-in-this-test");
        MainAccess.Outcome gone = MainAccess.run(train);
        assertEquals(2, gone.status(), gone.err());
        assertTrue(gone.err().strip().startsWith("data error: " + missing + ": is missing: the manifest of "),
                gone.err());
        Files.write(missing, kept);

        // Cut short with its .crc beside it (as Hadoop's local file system keeps one), then without (as on S3).
        Path cut = shards.get(2);
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        System.setProperty("spark.master", "local[2]");
        assertOneDataError(MainAccess.run(train), cut + ": does not match its checksum at byte ");
        Files.delete(cut.resolveSibling("." + cut.getFileName() + ".crc"));
        assertOneDataError(MainAccess.run(train), cut + ": truncated after ");
    }

    private static void assertOneDataError(MainAccess.Outcome o, String startsWith) {
        assertEquals(2, o.status(), o.err());
        List<String> ours = o.err().lines().filter(l -> l.startsWith("data error: ")).toList();
        assertEquals(1, ours.size(), o.err());
        assertTrue(ours.get(0).startsWith("data error: " + startsWith), ours.get(0));
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
