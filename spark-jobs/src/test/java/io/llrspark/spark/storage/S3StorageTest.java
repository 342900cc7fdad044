package io.llrspark.spark.storage;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints and files through s3a:// against a real S3-compatible server. */
class S3StorageTest {

    @Test
    void checkpointsRoundTripThroughS3a() throws Exception {
        try (S3Server s3 = new S3Server("llr")) {
            HadoopStorage storage = new HadoopStorage(s3.hadoopConf());
            String run = "s3a://llr/runs/first";
            CheckpointStore store = new CheckpointStore(storage, run);
            assertTrue(store.latest().isEmpty());

            Classifier net = TestNetworks.build(NetworkFactory.SMALL_RESNET, 8, DataType.FLOAT, 3);
            String written = store.write(net, new TrainingPosition(1, 12, 0), "llr { seed = 1 }", Map.of("loss", 0.5));
            assertEquals("s3a://llr/runs/first/checkpoints/ckpt-e0001-i000000012", written);
            assertEquals(List.of(written), store.committed());
            CheckpointStore.Loaded loaded = store.load(written);
            assertEquals(12, loaded.position().iteration());
            INDArray x = TestNetworks.images(4, 8, DataType.FLOAT, 5);
            assertEquals(0.0, net.logits(x, BatchStatistics.MOVING_AVERAGE)
                    .sub(loaded.network().logits(x, BatchStatistics.MOVING_AVERAGE)).amaxNumber().doubleValue(), 1e-6);

            // Replace, read back, delete: the operations reports and locks rely on.
            String file = storage.resolve(run, "reports/x/report.json");
            try (OutputStream out = storage.create(file)) {
                out.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            }
            try (OutputStream out = storage.create(file)) {
                out.write("{\"a\":2}".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream in = storage.open(file)) {
                assertEquals("{\"a\":2}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            storage.delete(file);
            assertFalse(storage.exists(file));
        }
    }
}
