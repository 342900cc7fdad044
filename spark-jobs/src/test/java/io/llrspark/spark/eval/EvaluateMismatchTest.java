package io.llrspark.spark.eval;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.train.LocalTrainer;
import io.llrspark.model.train.RunStart;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.spark.MainAccess;
import io.llrspark.model.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate} of a checkpoint on test images it cannot take (another geometry, another class count) stops on the
 * driver in one line naming the checkpoint, exit 2, before any task fails and without writing a report.
 */
class EvaluateMismatchTest {
    @TempDir
    Path dir;

    @Test
    void testImagesTheNetworkCannotTakeAreOneLineAndStatusTwo() throws IOException {
        LabeledImages data = TestNetworks.bands(32);
        Path run = dir.resolve("run");
        List<String> training = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        training.addAll(List.of("llr.training.objective=standard", "llr.training.epochs=1",
                "llr.training.batch-size=16", "llr.output=\"" + run + "\""));
        TrainingLoop.Result trained = new LocalTrainer(ConfigLoader.load(null, training), new LocalStorage(),
                new PrintStream(PrintStream.nullOutputStream())).train(data, RunStart.NEW);

        // 10x10 images where the network takes 8x8.
        LabeledImages larger = new LabeledImages(new byte[32 * 100], data.labels(), 1, 10, 10, 4);
        MainAccess.Outcome geometry = evaluate(trained.checkpoint(), run,
                IdxFiles.writeIdx(larger, dir.resolve("larger")));
        assertOneLine(geometry, trained.checkpoint(), "does not take the test set's 1x10x10 images");

        List<String> fiveClasses = new ArrayList<>(IdxFiles.writeIdx(data, dir.resolve("data")));
        fiveClasses.add("llr.data.classes=5");
        MainAccess.Outcome classes = evaluate(trained.checkpoint(), run, fiveClasses);
        assertOneLine(classes, trained.checkpoint(), "its network has 4 classes, the test set (llr.data) has 5");
        assertFalse(Files.exists(run.resolve("reports")), "no report written");
    }

    private static MainAccess.Outcome evaluate(String checkpoint, Path run, List<String> data) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--config", "../conf/local.conf", "--checkpoint",
                checkpoint));
        List<String> settings = new ArrayList<>(data);
        settings.addAll(List.of("llr.output=\"" + run + "\"", "llr.evaluation.examples=16",
                "llr.evaluation.batch-size=8", "llr.spark.workers=1"));
        for (String s : settings) {
            args.addAll(List.of("--set", s));
        }
        return MainAccess.run(args);
    }

    private static void assertOneLine(MainAccess.Outcome o, String checkpoint, String says) {
        assertEquals(2, o.status(), o.err());
        List<String> ours = o.err().lines().filter(l -> l.startsWith("data error: ")).toList();
        assertEquals(1, ours.size(), o.err());
        assertTrue(ours.get(0).contains(checkpoint) && ours.get(0).contains(says), ours.get(0));
        assertFalse(o.err().contains("\tat "), "no stack trace:\n" + o.err());
    }
}
