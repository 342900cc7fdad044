package io.llrspark.model.train;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run owns its output: no second run writes there, and nothing of an earlier run is overwritten by mistake. */
class RunOutputTest {
    @TempDir
    Path dir;

    private final LabeledImages train = TestNetworks.bands(32);

    private RunConfig config(Path output, String... more) {
        List<String> settings = new ArrayList<>(List.of("llr.training.objective=standard", "llr.training.epochs=2",
                "llr.training.batch-size=16", "llr.training.log-every=1", "llr.data.classes=4",
                "llr.training.lock-settle-ms=0", "llr.output=\"" + output + "\""));
        settings.addAll(List.of(more));
        return ConfigLoader.load(null, settings);
    }

    private TrainingLoop.Result train(RunConfig config, RunStart start, PrintStream log) throws IOException {
        return new LocalTrainer(config, new LocalStorage(), log).train(train, start);
    }

    @Test
    void aSecondNewRunOnTheSameOutputIsRefusedAndChangesNothing() throws IOException {
        Path out = dir.resolve("run");
        train(config(out), RunStart.NEW, quiet());
        Map<String, String> before = contents(out);
        ConfigError e = assertThrows(ConfigError.class,
                () -> train(config(out, "llr.training.epochs=1", "llr.seed=7"), RunStart.NEW, quiet()));
        assertTrue(e.getMessage().contains("already holds a run (checkpoints, metrics.jsonl)") && e.getMessage()
                .contains("--resume") && e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(before, contents(out), "every file of the first run as it was");
    }

    /**
     * The temporary files of writes killed part-way are removed when the run resumes, in the folders the run owns;
     * a report's folder belongs to evaluations and keeps its own.
     */
    @Test
    void aResumeRemovesWhatKilledWritesLeft() throws IOException {
        Path out = dir.resolve("run");
        train(config(out, "llr.training.epochs=1"), RunStart.NEW, quiet());
        Path committed = Path.of(new CheckpointStore(new LocalStorage(), out.toString()).committed().get(0));
        Path uncommitted = Files.createDirectories(out.resolve("checkpoints/ckpt-e0001-i000000099"));
        List<Path> leftovers = List.of(out.resolve(".metrics.jsonl.1b2c.tmp"), committed.resolve(".model.zip.77.tmp"),
                uncommitted.resolve(".state.json.3.tmp"), out.resolve("checkpoints/.x.tmp"));
        for (Path p : leftovers) {
            Files.write(p, new byte[1000]);
        }
        Path reports = Files.createDirectories(out.resolve("reports/ckpt-e0001-i000000002"));
        Path evaluating = Files.write(reports.resolve(".report.json.5.tmp"), new byte[10]);
        Path notATemporary = Files.write(out.resolve("notes.tmp"), new byte[10]);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        train(config(out, "llr.training.epochs=2"), RunStart.RESUME, new PrintStream(log, true, StandardCharsets.UTF_8));
        for (Path p : leftovers) {
            assertFalse(Files.exists(p), p + " removed");
        }
        assertTrue(Files.exists(evaluating) && Files.exists(notATemporary), "what is not the run's stays");
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Removed 4 temporary files (4,000 bytes) that "
                + "killed writes left under " + out), log.toString());
    }

    /** A shorter re-run with --overwrite leaves none of the old run's later checkpoints for a resume to pick up. */
    @Test
    void overwriteDeletesTheOldRunFirst() throws IOException {
        Path out = dir.resolve("run");
        train(config(out), RunStart.NEW, quiet());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingLoop.Result shorter = train(config(out, "llr.training.epochs=1", "llr.seed=7"), RunStart.OVERWRITE,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("Overwrite: deleted the run under " + out), log.toString());
        List<String> committed = new CheckpointStore(new LocalStorage(), out.toString()).committed();
        assertEquals(List.of(shorter.checkpoint()), committed, "only the new run's checkpoint");
        assertEquals(7, stored(Path.of(committed.get(0))).getInt("llr.seed"));
        long lines = Files.readAllLines(out.resolve("metrics.jsonl")).size();
        assertEquals(2, lines, "metrics.jsonl holds the new run's two steps only");
    }

    @Test
    void overwriteNeverDeletesWhatIsNotARun() throws IOException {
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Files.writeString(out.resolve("log.txt"), "mine");
        train(config(out), RunStart.NEW, quiet());
        train(config(out), RunStart.OVERWRITE, quiet());
        assertEquals("mine", Files.readString(out.resolve("log.txt")));
    }

    /** The claim of a live process (this one, another run's token) refuses the run; a dead process's is taken over. */
    @Test
    void aLiveClaimRefusesTheRunAndADeadOneIsTakenOver() throws IOException, InterruptedException {
        Path out = dir.resolve("run");
        Files.createDirectories(out);
        Path lock = out.resolve(RunOutput.LOCK_NAME);
        String live = Instant.now() + " " + ManagementFactory.getRuntimeMXBean().getName() + " other-run";
        Files.writeString(lock, live);
        ConfigError e = assertThrows(ConfigError.class, () -> train(config(out), RunStart.RESUME, quiet()));
        assertTrue(e.getMessage().contains("is in use by another run: " + ManagementFactory.getRuntimeMXBean()
                .getName()), e.getMessage());
        assertEquals(live, Files.readString(lock), "the holder's claim untouched");
        assertFalse(Files.exists(out.resolve("checkpoints")));

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^[0-9]+@", "");
        Files.writeString(lock, Instant.now() + " " + gone.pid() + "@" + host + " killed-run");
        TrainingLoop.Result r = train(config(out), RunStart.RESUME, quiet());
        assertEquals(2, r.network().epoch());
        assertFalse(Files.exists(lock), "released at the end");

        Files.writeString(lock, Instant.now().minusSeconds(3600) + " 1@elsewhere expired-run");
        train(config(out, "llr.training.epochs=3"), RunStart.RESUME, quiet());
        assertFalse(Files.exists(lock));
    }

    /** A denied output shows at start-up, before any training step. */
    @Test
    void anOutputThatCannotBeWrittenStopsTheRunBeforeItTrains() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ConfigError e = assertThrows(ConfigError.class, () -> train(config(file.resolve("run")), RunStart.NEW,
                new PrintStream(log, true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("llr.output " + file.resolve("run") + ": cannot write there"),
                e.getMessage());
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("Training"), "no step taken: " + log);
    }

    @Test
    void aResumeRefusesSettingsTheCheckpointFixesAndLogsTheOnesItApplies() throws IOException {
        Path out = dir.resolve("run");
        train(config(out, "llr.training.epochs=1"), RunStart.NEW, quiet());
        Map<String, String> before = contents(out);
        ConfigError e = assertThrows(ConfigError.class, () -> train(config(out, "llr.training.learning-rate=0.01",
                "llr.network.architecture=small-resnet"), RunStart.RESUME, quiet()));
        assertTrue(e.getMessage().contains("llr.network.architecture small-cnn -> small-resnet")
                && e.getMessage().contains("llr.training.learning-rate 0.001 -> 0.01"), e.getMessage());
        assertEquals(before, contents(out), "nothing written by the refused resume");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingLoop.Result r = train(config(out, "llr.training.epochs=2", "llr.training.log-every=3"),
                RunStart.RESUME, new PrintStream(log, true, StandardCharsets.UTF_8));
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("Resume: llr.training.epochs 1 -> 2") && said.contains(
                "Resume: llr.training.log-every 1 -> 3"), said);
        assertEquals(3, stored(Path.of(r.checkpoint())).getInt("llr.training.log-every"),
                "the new checkpoint records what the run really used");
    }

    private static com.typesafe.config.Config stored(Path checkpoint) throws IOException {
        return com.typesafe.config.ConfigFactory.parseString(Files.readString(checkpoint.resolve("config.conf")));
    }

    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)))
                        + " " + Files.getLastModifiedTime(p));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        return files;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
