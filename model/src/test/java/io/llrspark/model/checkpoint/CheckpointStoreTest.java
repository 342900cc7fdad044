package io.llrspark.model.checkpoint;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.train.LocalTrainer;
import io.llrspark.model.train.RunStart;
import io.llrspark.model.train.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Committed checkpoints are immutable and verified when loaded; a corrupt one is named, and a resume goes around it. */
class CheckpointStoreTest {
    @TempDir
    Path dir;

    private final LabeledImages train = TestNetworks.bands(32);

    private RunConfig config(Path output, int epochs) {
        return ConfigLoader.load(null, List.of("llr.training.objective=standard", "llr.training.epochs=" + epochs,
                "llr.training.batch-size=16", "llr.data.classes=4", "llr.training.lock-settle-ms=0",
                "llr.output=\"" + output + "\""));
    }

    @Test
    void aCommittedCheckpointIsNeverRewritten() throws IOException {
        Path out = dir.resolve("run");
        TrainingLoop.Result r = new LocalTrainer(config(out, 1), new LocalStorage(), quiet()).train(train, RunStart.NEW);
        CheckpointStore store = new CheckpointStore(new LocalStorage(), out.toString());
        byte[] model = Files.readAllBytes(Path.of(r.checkpoint(), "model.zip"));
        IOException e = assertThrows(IOException.class, () -> store.write(r.network(),
                new TrainingPosition(1, r.network().iteration(), 0), "llr {}", Map.of()));
        assertTrue(e.getMessage().contains("already committed"), e.getMessage());
        assertEquals(List.of(r.checkpoint()), store.committed());
        assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(Path.of(r.checkpoint(), "model.zip"))));
        assertTrue(Files.readString(Path.of(r.checkpoint(), CheckpointStore.MARKER)).contains("\"sha256\""));
    }

    /** Damage of either kind: one byte changed (the digest catches it), or the zip cut short under an old marker. */
    @Test
    void aDamagedCheckpointIsNamedWhenLoaded() throws IOException {
        Path out = dir.resolve("run");
        TrainingLoop.Result r = new LocalTrainer(config(out, 1), new LocalStorage(), quiet()).train(train, RunStart.NEW);
        Path zip = Path.of(r.checkpoint(), "model.zip");
        byte[] bytes = Files.readAllBytes(zip);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(zip, bytes);
        CheckpointStore store = new CheckpointStore(new LocalStorage(), out.toString());
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> store.load(r.checkpoint()));
        assertTrue(e.getMessage().startsWith(zip + ": corrupt checkpoint: SHA-256 "), e.getMessage());

        Files.write(zip, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Files.write(Path.of(r.checkpoint(), CheckpointStore.MARKER), new byte[0]);
        e = assertThrows(CorruptCheckpointException.class, () -> store.load(r.checkpoint()));
        assertTrue(e.getMessage().startsWith(zip + ": corrupt checkpoint: cannot be read as a network"),
                e.getMessage());
        assertEquals(r.checkpoint(), e.checkpoint());
    }

    /** The newest checkpoint torn after its commit: the resume warns, redoes it from the one before, and ends the same. */
    @Test
    void aResumeFallsBackFromACorruptNewestCheckpointAndEndsAsAnUndisturbedRun() throws IOException {
        Path whole = dir.resolve("whole");
        TrainingLoop.Result undisturbed = new LocalTrainer(config(whole, 2), new LocalStorage(), quiet())
                .train(train, RunStart.NEW);
        Path out = dir.resolve("run");
        TrainingLoop.Result first = new LocalTrainer(config(out, 2), new LocalStorage(), quiet())
                .train(train, RunStart.NEW);
        Path zip = Path.of(first.checkpoint(), "model.zip");
        Files.write(zip, java.util.Arrays.copyOf(Files.readAllBytes(zip), 100));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingLoop.Result resumed = new LocalTrainer(config(out, 2), new LocalStorage(),
                new PrintStream(log, true, StandardCharsets.UTF_8)).train(train, RunStart.RESUME);
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("warning: " + zip + ": corrupt checkpoint: 100 bytes") && said.contains(
                "resuming from the previous committed checkpoint (" + out.resolve("checkpoints/ckpt-e0001")), said);
        assertEquals(first.checkpoint(), resumed.checkpoint(), "the same checkpoint written again, whole");
        assertFalse(Files.exists(Path.of(resumed.checkpoint(), CheckpointStore.CORRUPT)));
        CheckpointStore store = new CheckpointStore(new LocalStorage(), out.toString());
        assertEquals(0.0, store.load(resumed.checkpoint()).network().model().params()
                .sub(undisturbed.network().model().params()).amaxNumber().doubleValue());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
