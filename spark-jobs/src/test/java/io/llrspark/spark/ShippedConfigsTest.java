package io.llrspark.spark;

import com.typesafe.config.Config;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.objective.LlrObjective;
import io.llrspark.spark.train.SparkSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every configuration under conf/ loads and validates, and the image ones say what the README says they do. */
class ShippedConfigsTest {
    private static final Path CONF = Path.of("..", "conf");

    /** The shipped files with their placeholders filled in, as a user runs them. */
    private static RunConfig load(String name) {
        Config merged = ConfigLoader.merge(CONF.resolve(name), List.of("llr.output=\"s3a://b/run\"",
                "llr.data.prepared=\"s3a://b/imagenet\"", "llr.data.cifar-directory=\"s3a://b/cifar\""));
        SparkSettings.from(merged);
        return ConfigLoader.fromMerged(merged);
    }

    @Test
    void everyShippedConfigurationLoads() throws Exception {
        try (Stream<Path> files = Files.list(CONF)) {
            List<Path> confs = files.filter(p -> p.toString().endsWith(".conf")).toList();
            assertTrue(confs.size() >= 5, "conf/ holds " + confs);
            for (Path p : confs) {
                load(p.getFileName().toString());
            }
        }
    }

    @Test
    void imageConfigurationsFollowThePaperAndTheReleasedCode() {
        RunConfig imagenet = load("imagenet.conf");
        assertEquals("resnet-152", imagenet.network().architecture());
        assertEquals(4.0 / 255, imagenet.training().epsilon(), 1e-12);
        assertEquals(List.of(4.0 / 255), imagenet.evaluation().epsilons());
        assertEquals("prepared", imagenet.data().format());
        assertEquals(224, imagenet.data().imageSize());
        assertTrue(imagenet.evaluation().attacks().stream().anyMatch(a -> a.name().equals("random-targeted")));

        RunConfig cifar = load("cifar10.conf");
        assertEquals("wrn-28-8", cifar.network().architecture());
        assertEquals(8.0 / 255, cifar.training().epsilon(), 1e-12);
        assertEquals("cifar10", cifar.data().format());
        LlrObjective.Settings llr = (LlrObjective.Settings) cifar.training().objectiveSettings();
        assertEquals(2.0, llr.nominalWeight());
        assertEquals(1.2, llr.mu(), 1e-12);
        assertEquals(List.of(80_000L, 88_000L, 96_000L), cifar.training().lrBoundaries());
        assertEquals(0.0002, cifar.training().weightDecay());
    }
}
