package io.llrspark.model.data.prepare;

import io.llrspark.model.data.prepared.ClassIndex;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.DataFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrepareConfigTest {

    private static PrepareConfig config(String... settings) {
        List<String> all = new ArrayList<>(List.of("llr.prepare.input=\"s3a://data/imagenet/\"",
                "llr.prepare.output=\"s3a://data/prepared\""));
        all.addAll(List.of(settings));
        return PrepareConfig.from(ConfigLoader.merge(null, all));
    }

    private static void rejects(String setting, String key) {
        ConfigError e = assertThrows(ConfigError.class, () -> config(setting), setting);
        assertTrue(e.getMessage().contains(key), setting + ": " + e.getMessage());
    }

    @Test
    void defaultsAndResolvedPaths() {
        PrepareConfig c = config("llr.prepare.val-layout=flat", "llr.prepare.val-labels=LOC_val_solution.csv");
        assertEquals("s3a://data/imagenet", c.input());
        assertEquals(List.of("train", "val"), c.splits());
        assertEquals(1024, c.shardSize());
        assertEquals("s3a://data/imagenet/LOC_val_solution.csv", c.valLabels());
        assertEquals("/abs/labels.txt", config("llr.prepare.val-labels=/abs/labels.txt").valLabels());
        assertEquals("hdfs://nn/labels.txt", config("llr.prepare.val-labels=\"hdfs://nn/labels.txt\"").valLabels());
        assertNull(config().settings().get("val_labels"));
    }

    @Test
    void badValuesAreNamedByTheirKeys() {
        rejects("llr.prepare.shard-size=0", "llr.prepare.shard-size");
        rejects("llr.prepare.max-bad-fraction=1.5", "llr.prepare.max-bad-fraction");
        rejects("llr.prepare.splits=[test]", "llr.prepare.splits");
        rejects("llr.prepare.splits=[]", "llr.prepare.splits");
        rejects("llr.prepare.val-layout=nested", "llr.prepare.val-layout");
        rejects("llr.prepare.val-layout=flat", "llr.prepare.val-labels");
        rejects("llr.prepare.output=\"s3a://data/imagenet/train/shards\"", "llr.prepare.output");
        rejects("llr.prepare.shard-sizee=3", "llr.prepare.shard-sizee");
        ConfigError e = assertThrows(ConfigError.class, () -> PrepareConfig.from(ConfigLoader.merge(null, List.of())));
        assertTrue(e.getMessage().startsWith("llr.prepare.input"), e.getMessage());
    }

    @Test
    void labelsFilesWithHeadersExtraFieldsAndNamesWithoutExtensions() throws Exception {
        ClassIndex classes = new ClassIndex(List.of("n02", "n01"));
        assertEquals(List.of("n01", "n02"), classes.names());
        ValLabels labels = ValLabels.read("labels", new ByteArrayInputStream("""
                ImageId,PredictionString
                # a comment

                ILSVRC2012_val_00000001,n02 1 2 3 4 n02 5 6 7 8
                ILSVRC2012_val_00000002.JPEG\tn01
                """.getBytes(StandardCharsets.UTF_8)), classes);
        assertEquals(2, labels.size());
        assertEquals("n02", labels.wnid("ILSVRC2012_val_00000001.JPEG"));
        assertEquals("n01", labels.wnid("ILSVRC2012_val_00000002.JPEG"));
        assertNull(labels.wnid("ILSVRC2012_val_00000003.JPEG"));
        DataFormatException unknown = assertThrows(DataFormatException.class, () -> ValLabels.read("labels",
                new ByteArrayInputStream("a.JPEG n01\nb.JPEG n03\n".getBytes(StandardCharsets.UTF_8)), classes));
        assertEquals("labels: line 2: 'n03' is not a class (a directory of the training split)", unknown.getMessage());
        assertThrows(DataFormatException.class, () -> ValLabels.read("labels",
                new ByteArrayInputStream("a.JPEG n01\na.JPEG n02\n".getBytes(StandardCharsets.UTF_8)), classes));
    }
}
