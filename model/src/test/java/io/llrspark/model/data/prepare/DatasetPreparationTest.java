package io.llrspark.model.data.prepare;

import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.tasks.LocalTaskRunner;
import io.llrspark.model.tasks.StorageFactory;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** prepare-data in one process, on local files: what Spark runs, without Spark. */
class DatasetPreparationTest {
    private static final List<String> SPLITS = List.of("train", "val");
    @TempDir
    Path dir;
    private final LocalStorage storage = new LocalStorage();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private DatasetPreparation.Result prepare(String output, String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("llr.prepare.input=\"" + dir.resolve("in") + "\"",
                "llr.prepare.output=\"" + dir.resolve(output) + "\"", "llr.prepare.shard-size=4",
                "llr.prepare.max-bad-fraction=0.5"));
        all.addAll(List.of(settings));
        PrepareConfig config = PrepareConfig.from(ConfigLoader.merge(null, all));
        DatasetPreparation.requireInputs(config, storage);
        return DatasetPreparation.run(config, storage, StorageFactory.LOCAL,
                new LocalTaskRunner(new PrintStream(log, true, StandardCharsets.UTF_8)), "test",
                new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void foldersLayoutWithEveryKindOfBadFile() throws Exception {
        ImageNetTree tree = ImageNetTree.write(dir.resolve("in"), false, true);
        DatasetPreparation.Result result = prepare("out");
        PreparedTreeCheck.assertPrepared(tree, storage, dir.resolve("out").toString(), SPLITS);
        assertEquals(1, tree.badCounts("train").get(SkipReason.UNREADABLE));
        assertEquals(tree.files("train") + tree.files("val"), result.files());
        // 18 train files in shards of 4: 5 shards, named with their count.
        assertTrue(Files.exists(dir.resolve("out/train/train-00004-of-00005.shard")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("skipped train/n01443537/n01443537_9.JPEG: zero_byte"));
    }

    @Test
    void flatValidationLayoutTakesClassesFromTheLabelsFile() throws Exception {
        ImageNetTree tree = ImageNetTree.write(dir.resolve("in"), true, false);
        prepare("out", "llr.prepare.val-layout=flat", "llr.prepare.val-labels=" + ImageNetTree.LABELS);
        PreparedTreeCheck.assertPrepared(tree, storage, dir.resolve("out").toString(), SPLITS);
        assertEquals(1, tree.badCounts("val").get(SkipReason.UNLABELED));
    }

    @Test
    void rerunsWriteIdenticalBytesAndShardSizeChangesOnlyTheCut() throws Exception {
        ImageNetTree tree = ImageNetTree.write(dir.resolve("in"), false, false);
        prepare("a");
        prepare("b");
        Map<String, byte[]> a = PreparedTreeCheck.shardBytes(storage, dir.resolve("a").toString(), SPLITS);
        Map<String, byte[]> b = PreparedTreeCheck.shardBytes(storage, dir.resolve("b").toString(), SPLITS);
        assertEquals(a.keySet(), b.keySet());
        for (String path : a.keySet()) {
            assertArrayEquals(a.get(path), b.get(path), path);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/manifest.json")),
                Files.readAllBytes(dir.resolve("b/manifest.json")));
        prepare("c", "llr.prepare.shard-size=1000");
        PreparedTreeCheck.assertPrepared(tree, storage, dir.resolve("c").toString(), SPLITS);
        assertEquals(1, PreparedTreeCheck.shardBytes(storage, dir.resolve("c").toString(), List.of("train")).size());
    }

    @Test
    void tooManyBadFilesFailsNamingCountsAndLimitAndWritesNoManifest() throws Exception {
        ImageNetTree.write(dir.resolve("in"), false, false);
        prepare("out");
        assertTrue(Files.exists(dir.resolve("out/manifest.json")));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> prepare("out", "llr.prepare.max-bad-fraction=0.2"));
        // train: 5 of 17 bad (29.4 %) fails; val: 2 of 8 (25 %) fails too.
        assertTrue(e.getMessage().contains("train: 5 of 17 files skipped (29.4 %: zero_byte 1, not_an_image 2, "
                + "corrupt 2)"), e.getMessage());
        assertTrue(e.getMessage().contains("val: 2 of 8 files skipped (25.0 %"), e.getMessage());
        assertTrue(e.getMessage().contains("llr.prepare.max-bad-fraction = 0.2"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out/manifest.json")), "the earlier run's manifest is gone");
    }

    @Test
    void missingInputsAreNamedByTheirKeys() throws Exception {
        ConfigError noTrain = assertThrows(ConfigError.class, () -> prepare("out"));
        assertTrue(noTrain.getMessage().startsWith("llr.prepare.input: "), noTrain.getMessage());
        ImageNetTree.write(dir.resolve("in"), false, false);
        ConfigError noLabels = assertThrows(ConfigError.class, () -> prepare("out", "llr.prepare.val-layout=flat",
                "llr.prepare.val-labels=missing.txt"));
        assertTrue(noLabels.getMessage().startsWith("llr.prepare.val-labels: "), noLabels.getMessage());
        Files.writeString(dir.resolve("in/val/n01440764/extra.JPEG"), "x");
        Files.createDirectories(dir.resolve("in/val/n99999999"));
        DataFormatException strayClass = assertThrows(DataFormatException.class, () -> prepare("out"));
        assertTrue(strayClass.getMessage().contains("n99999999: is not a class"), strayClass.getMessage());
    }
}
