package io.llrspark.spark.storage;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints through a Hadoop file system URI (file:// here; the same code serves hdfs:// and s3a://). */
class HadoopStorageTest {

    @Test
    void checkpointsRoundTripThroughAHadoopUri(@TempDir Path dir) throws IOException {
        HadoopStorage storage = new HadoopStorage(new Configuration());
        String root = dir.toUri().toString() + "run";
        assertTrue(root.startsWith("file:"), root);
        CheckpointStore store = new CheckpointStore(storage, root);
        assertTrue(store.latest().isEmpty());

        Classifier net = TestNetworks.build(NetworkFactory.SMALL_RESNET, 8, DataType.FLOAT, 3);
        String written = store.write(net, new TrainingPosition(1, 12, 0), "llr { seed = 1 }", Map.of("loss", 0.5));
        assertEquals(written, store.latest().orElseThrow());
        CheckpointStore.Loaded loaded = store.load(written);
        assertEquals(0.0, loaded.network().model().params().sub(net.model().params()).amaxNumber().doubleValue());
        assertEquals(12, loaded.position().iteration());
        assertEquals("llr { seed = 1 }", loaded.config());
        assertTrue(Files.exists(dir.resolve("run/checkpoints").resolve(Path.of(written).getFileName().toString())
                .resolve(CheckpointStore.MARKER)));
    }

    @Test
    void filesListsAndMissingPaths(@TempDir Path dir) throws IOException {
        HadoopStorage storage = new HadoopStorage(new Configuration());
        String base = dir.toUri().toString();
        try (OutputStream out = storage.create(storage.resolve(base, "a/b/c.txt"))) {
            out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = storage.open(storage.resolve(base, "a/b/c.txt"))) {
            assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("c.txt"), storage.list(storage.resolve(base, "a/b")));
        assertTrue(storage.list(storage.resolve(base, "nope")).isEmpty());
        assertFalse(storage.exists(storage.resolve(base, "nope")));
        IOException e = assertThrows(IOException.class, () -> storage.open(storage.resolve(base, "missing.bin")));
        assertTrue(e.getMessage().endsWith("missing.bin: file not found"), e.getMessage());
    }
}
