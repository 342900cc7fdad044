package io.llrspark.spark.storage;

import java.io.IOException;
import io.llrspark.model.storage.Storage;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.conf.Configuration;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.storage.StorageLock;
import io.llrspark.model.train.RunOutput;
import io.llrspark.model.train.RunStart;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /**
     * A write given up after a failure publishes nothing, not even the parts of a multipart upload already sent:
     * the upload is aborted, while the object it would have replaced stays as it was.
     */
    @Test
    void anAbandonedUploadPublishesNothingAndLeavesNoParts() throws Exception {
        try (S3Server s3 = new S3Server("llr")) {
            Configuration conf = s3.hadoopConf();
            // Parts of 5 MB (S3's least), so 12 MB goes up as a multipart upload while it is written.
            conf.set("fs.s3a.multipart.size", "5M");
            conf.set("fs.s3a.multipart.threshold", "5M");
            HadoopStorage storage = new HadoopStorage(conf);
            String shard = "s3a://llr/prepared/train/train-00000-of-00001.shard";
            try (OutputStream out = storage.create(shard)) {
                out.write("the old shard".getBytes(StandardCharsets.UTF_8));
            }
            OutputStream out = storage.create(shard);
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 12; i++) {
                out.write(block);
            }
            S3AFileSystem fs = (S3AFileSystem) new org.apache.hadoop.fs.Path(shard).getFileSystem(conf);
            assertTrue(countUploads(fs) > 0, "parts were uploaded while writing");
            IOException failure = new IOException("a source file could not be read");
            Storage.abandon(out, failure);
            assertEquals(0, failure.getSuppressed().length, List.of(failure.getSuppressed()).toString());
            assertEquals(0, countUploads(fs), "no unfinished multipart upload left");
            try (InputStream in = storage.open(shard)) {
                assertEquals("the old shard", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private static int countUploads(S3AFileSystem fs) throws IOException {
        return fs.listMultipartUploads("prepared/").size();
    }

    /**
     * S3 through Hadoop 3.3 has no create-if-absent: claims racing for one run output are settled by writing, waiting
     * and reading back, and exactly one wins; while it holds the output, a run on it is refused.
     */
    @Test
    void racingClaimsOnS3LeaveExactlyOneOwner() throws Exception {
        // A bucket of its own: Hadoop caches a file system per bucket, with the endpoint it first saw.
        try (S3Server s3 = new S3Server("locks")) {
            HadoopStorage storage = new HadoopStorage(s3.hadoopConf());
            String output = "s3a://locks/runs/shared";
            assertFalse(storage.createsIfAbsentAtomically(output));
            StorageLock.Timing timing = new StorageLock.Timing(Duration.ofMillis(1500), Duration.ofMinutes(10));
            int racers = 4;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            List<Future<RunOutput>> claims = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    try {
                        return RunOutput.claim(storage, output, RunStart.NEW, timing, QUIET);
                    } catch (ConfigError e) {
                        assertTrue(e.getMessage().contains("is in use by another run"), e.getMessage());
                        return null;
                    }
                }));
            }
            start.countDown();
            List<RunOutput> owners = new ArrayList<>();
            for (Future<RunOutput> f : claims) {
                RunOutput o = f.get();
                if (o != null) {
                    owners.add(o);
                }
            }
            pool.shutdown();
            assertEquals(1, owners.size(), "exactly one owner");
            ConfigError refused = assertThrows(ConfigError.class,
                    () -> RunOutput.claim(storage, output, RunStart.RESUME, timing, QUIET));
            assertTrue(refused.getMessage().contains("is in use by another run"), refused.getMessage());
            owners.get(0).close();
            assertFalse(storage.exists(storage.resolve(output, RunOutput.LOCK_NAME)), "released");
        }
    }

    /** A bucket that does not exist shows at start-up, naming the output. */
    @Test
    void anOutputInAMissingBucketFailsAtStartUp() throws Exception {
        try (S3Server s3 = new S3Server("probe")) {
            HadoopStorage storage = new HadoopStorage(s3.hadoopConf());
            ConfigError e = assertThrows(ConfigError.class, () -> RunOutput.claim(storage, "s3a://no-such-bucket/run",
                    RunStart.NEW, new StorageLock.Timing(Duration.ZERO, Duration.ofMinutes(1)), QUIET));
            assertTrue(e.getMessage().startsWith("llr.output s3a://no-such-bucket/run: cannot write there"),
                    e.getMessage());
        }
    }

    private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
}
