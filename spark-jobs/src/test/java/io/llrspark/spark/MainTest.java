package io.llrspark.spark;

import io.llrspark.model.data.IdxFiles;
import io.llrspark.model.TestNetworks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad configuration fails before Spark starts, with one line naming the key. The master URL is made unusable for
 * these tests, so a job that got as far as creating a SparkContext would fail differently.
 */
class MainTest {
    @TempDir
    Path dir;

    @BeforeEach
    void poisonMaster() {
        System.setProperty("spark.master", "unusable://no-spark-in-this-test");
    }

    @AfterEach
    void restoreMaster() {
        System.clearProperty("spark.master");
    }

    private record Outcome(int status, String out, String err) {
    }

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Outcome trainWith(String override) throws IOException {
        List<String> args = new ArrayList<>(List.of("train", "--config", "../conf/local.conf"));
        for (String s : IdxFiles.writeIdx(TestNetworks.bands(16), dir.resolve("data"))) {
            args.addAll(List.of("--set", s));
        }
        args.addAll(List.of("--set", "llr.output=\"" + dir.resolve("out") + "\"", "--set", override));
        return run(args.toArray(new String[0]));
    }

    private void rejects(String override, String key) throws IOException {
        Outcome o = trainWith(override);
        assertEquals(2, o.status, override + " must fail with status 2; stderr: " + o.err);
        String[] lines = o.err.strip().split("\n");
        assertEquals(1, lines.length, "one line: " + o.err);
        assertTrue(lines[0].contains(key), "the message names " + key + ": " + lines[0]);
    }

    @Test
    void badConfigurationFailsBeforeSparkStartsNamingTheKey() throws IOException {
        rejects("llr.training.epsilonn=0.1", "llr.training.epsilonn");
        rejects("llr.training.epsilon=-0.1", "llr.training.epsilon");
        rejects("llr.training.llr.lambda=-1", "llr.training.llr.lambda");
        rejects("llr.spark.averaging-frequency=0", "llr.spark.averaging-frequency");
        rejects("llr.data.train-images=\"" + dir.resolve("missing.idx") + "\"", "llr.data.train-images");
        // An output that cannot be written (under a file) is found before Spark starts, not at the first write.
        Path file = Files.writeString(dir.resolve("a-file"), "");
        rejects("llr.output=\"" + file.resolve("out") + "\"", "llr.output");
    }

    /**
     * Data the driver can check fails before Spark starts, in one line naming the file: a truncated image file, label
     * and image counts that differ, a label outside the configured classes.
     */
    @Test
    void badDataFailsBeforeSparkStartsNamingTheFile() throws IOException {
        Path data = dir.resolve("data");
        IdxFiles.writeIdx(TestNetworks.bands(16), data);
        Path images = data.resolve("images.idx");
        Path labels = data.resolve("labels.idx");
        byte[] fullImages = Files.readAllBytes(images);
        byte[] fullLabels = Files.readAllBytes(labels);

        Path cut = Files.write(dir.resolve("cut.idx"), Arrays.copyOf(fullImages, fullImages.length - 100));
        rejectsData("llr.data.train-images=\"" + cut + "\"", cut + ": truncated");

        byte[] fewer = Arrays.copyOf(fullLabels, fullLabels.length - 1);
        ByteBuffer.wrap(fewer).putInt(4, 15);
        Path short15 = Files.write(dir.resolve("labels15.idx"), fewer);
        rejectsData("llr.data.train-labels=\"" + short15 + "\"", short15 + ": has 15 labels but");

        rejectsData("llr.data.classes=2", labels + ": label ");
    }

    private void rejectsData(String override, String message) throws IOException {
        Outcome o = trainWith(override);
        assertEquals(2, o.status, override + " must fail with status 2; stderr: " + o.err);
        String[] lines = o.err.strip().split("\n");
        assertEquals(1, lines.length, "one line: " + o.err);
        assertTrue(lines[0].startsWith("data error: ") && lines[0].contains(message),
                "the message says '" + message + "': " + lines[0]);
    }

    /**
     * The shipped ImageNet and CIFAR-10 configurations are valid as they stand, and fail on their placeholders with
     * the key to set, before Spark starts.
     */
    @Test
    void shippedImageConfigurationsNameTheDataToSet() {
        for (String[] c : new String[][]{{"imagenet.conf", "llr.data.prepared"},
                {"cifar10.conf", "llr.data.cifar-directory"}}) {
            Outcome o = run("train", "--config", "../conf/" + c[0], "--set", "llr.output=\"" + dir.resolve("out") + "\"");
            assertEquals(2, o.status, c[0] + ": " + o.err);
            assertTrue(o.err.strip().startsWith("config error: " + c[1] + ": replace the placeholder"), c[0] + ": " + o.err);
        }
        Outcome local = run("train", "--config", "../conf/cifar10.conf", "--set",
                "llr.data.cifar-directory=\"" + dir.resolve("no-cifar") + "\"", "--set",
                "llr.output=\"" + dir.resolve("out") + "\"");
        assertTrue(local.err.contains(dir.resolve("no-cifar").resolve("data_batch_1.bin") + " does not exist"), local.err);
    }

    @Test
    void everySubcommandHasHelpAndBadUsageExitsTwo() {
        Outcome help = run("train", "--help");
        assertEquals(0, help.status);
        assertTrue(help.out.contains("--resume"));
        assertFalse(help.out.contains("evaluate-new"), "train --help shows train's usage alone:\n" + help.out);
        assertTrue(run("evaluate-new", "--help").out.contains("--retry-failed"));
        assertEquals(2, run("train", "--bogus").status);
        assertEquals(2, run("frobnicate").status);
        Outcome unknown = run("frobnicate", "--help");
        assertEquals(2, unknown.status, "help for a command that does not exist is a usage error");
        assertTrue(unknown.err.contains("unknown command 'frobnicate'"), unknown.err);
        assertEquals(2, run("train").status, "train without --config");
    }

    /** bench's counts are checked before anything runs: a non-number or too small a count is a usage error. */
    @Test
    void benchCountsAreCheckedBeforeAnythingRuns() {
        for (String[] bad : new String[][]{{"--rounds", "abc"}, {"--rounds", "-1"}, {"--rounds", "0"}, {"--warmup", "-2"}}) {
            Outcome o = run("bench", "--config", "../conf/local.conf", bad[0], bad[1]);
            assertEquals(2, o.status, String.join(" ", bad) + ": " + o.err);
            assertTrue(o.err.contains("bench: " + bad[0] + " needs a whole number of at least"), o.err);
        }
    }
}
