package io.llrspark.spark.eval;

import io.llrspark.model.train.RunStart;
import io.llrspark.model.TestNetworks;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.train.LocalTrainer;
import io.llrspark.spark.MainAccess;
import io.llrspark.model.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate-new} through the job's entry point in local mode: evaluates the checkpoints without a report,
 * records a broken one as failed while still evaluating the others, and does nothing when run again.
 */
class EvaluateNewTest {
    @TempDir
    Path dir;

    @Test
    void evaluatesOnlyNewCheckpointsAndSurvivesABrokenOne() throws IOException {
        LabeledImages data = TestNetworks.bands(32);
        List<String> settings = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        settings.addAll(List.of("llr.training.objective=standard", "llr.training.epochs=2",
                "llr.training.batch-size=16", "llr.evaluation.examples=16", "llr.evaluation.batch-size=8",
                "llr.evaluation.attacks=[pgd-ce, pgd-margin]", "llr.evaluation.pgd.steps=2",
                "llr.evaluation.pgd.restarts=1", "llr.evaluation.gamma-steps=2", "llr.spark.workers=2",
                "llr.spark.lock-settle-ms=50", "llr.evaluation.verdict.enabled=false"));
        Path run = dir.resolve("run");
        List<String> training = new ArrayList<>(settings);
        training.add("llr.output=\"" + run + "\"");
        RunConfig config = ConfigLoader.load(null, training);
        new LocalTrainer(config, new LocalStorage(), new PrintStream(PrintStream.nullOutputStream())).train(data, RunStart.NEW);
        // A committed checkpoint whose network cannot be read.
        Path broken = Files.createDirectories(run.resolve("checkpoints/ckpt-e0009-i000000999"));
        Files.writeString(broken.resolve("model.zip"), "not a zip");
        Files.writeString(broken.resolve("state.json"), "{\"network\":\"MultiLayerNetwork\",\"epoch\":9}");
        Files.writeString(broken.resolve("config.conf"), "");
        Files.writeString(broken.resolve("_COMMITTED"), "");

        List<String> args = new ArrayList<>(List.of("evaluate-new", "--config", "../conf/local.conf",
                "--checkpoints", run.toString()));
        for (String s : settings) {
            args.addAll(List.of("--set", s));
        }
        // What an evaluation killed while writing its report left.
        Path leftover = Files.write(Files.createDirectories(run.resolve("reports/ckpt-e0001-i000000002"))
                .resolve(".report.json.4f2a.tmp"), new byte[100]);
        MainAccess.Outcome first = MainAccess.run(args);
        assertFalse(Files.exists(leftover), "the claim's holder removes what a killed evaluation left");
        assertEquals(1, first.status(), "a failed checkpoint makes the run fail:\n" + first.err());
        assertTrue(first.out().contains("EVALUATED=2"), first.out());
        assertTrue(first.out().contains("FAILED=1"), first.out());
        Path reports = run.resolve("reports");
        assertTrue(Files.readString(reports.resolve("ckpt-e0009-i000000999/failed.json")).contains("error"));
        List<Path> written = List.of(reports.resolve("ckpt-e0001-i000000002/report.json"),
                reports.resolve("ckpt-e0002-i000000004/report.json"));
        List<FileTime> times = new ArrayList<>();
        for (Path p : written) {
            assertTrue(Files.exists(p), p + " written");
            assertTrue(Files.exists(p.resolveSibling("report.csv")) && Files.exists(p.resolveSibling("robust-accuracy.png")));
            times.add(Files.getLastModifiedTime(p));
        }

        MainAccess.Outcome second = MainAccess.run(args);
        assertEquals(0, second.status(), second.err());
        assertTrue(second.out().contains("ALREADY_EVALUATED=2") && second.out().contains("PREVIOUSLY_FAILED=1")
                && !second.out().contains("EVALUATED=1"), second.out());
        for (int i = 0; i < written.size(); i++) {
            assertEquals(times.get(i), Files.getLastModifiedTime(written.get(i)), "no work the second time");
        }
    }
}
