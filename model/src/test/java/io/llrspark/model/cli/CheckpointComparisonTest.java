package io.llrspark.model.cli;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.checkpoint.TrainingPosition;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code llr compare}: the same bits, or how many parameters differ and by how much; runs stand for their newest. */
class CheckpointComparisonTest {

    @Test
    void tellsIdenticalFromDifferentCheckpoints(@TempDir Path dir) throws Exception {
        Classifier net = TestNetworks.build("small-cnn", 12, DataType.FLOAT, 5);
        String a = write(dir.resolve("a"), net);
        String same = write(dir.resolve("same"), net);
        net.model().params().putScalar(3, net.model().params().getDouble(3) + 0.25);
        write(dir.resolve("b"), net);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CheckpointComparison.run(List.of(a, same), new PrintStream(out, true, StandardCharsets.UTF_8)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("identical"), out.toString(StandardCharsets.UTF_8));

        out.reset();
        // The run directory stands for its newest checkpoint.
        int status = CheckpointComparison.run(List.of(a, dir.resolve("b").toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(3, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("1 of " + net.model().params().length()
                + " parameters differ; max |A - B| = 0.250"), out.toString(StandardCharsets.UTF_8));
    }

    private static String write(Path run, Classifier net) throws Exception {
        return new CheckpointStore(new LocalStorage(), run.toString())
                .write(net, new TrainingPosition(1, 2, 0), "llr {}", Map.of());
    }
}
