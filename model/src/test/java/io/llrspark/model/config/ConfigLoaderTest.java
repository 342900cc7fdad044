package io.llrspark.model.config;

import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.attack.Attack;
import io.llrspark.model.attack.Attacks;
import io.llrspark.model.objective.LlrObjective;
import io.llrspark.model.objective.Objectives;
import io.llrspark.model.objective.TradesObjective;
import io.llrspark.model.objective.Perturbation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    /**
     * A URI with credentials is refused where it enters, from a file or --set, with the key named and the secret not
     * repeated: Hadoop would print the whole URI in its warnings.
     */
    @Test
    void credentialsInUrisAreRefusedWithoutRepeatingThem() throws IOException {
        String uri = "s3a://AKIAEXAMPLE:s3cr3t/x@bucket/fashion/train-images-idx3-ubyte.gz";
        ConfigError set = assertThrows(ConfigError.class, () -> ConfigLoader.load(null,
                List.of("llr.data.train-images=\"" + uri + "\"")));
        Path file = write("llr.output = \"" + uri + "\"\n");
        ConfigError fromFile = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of()));
        ConfigError typo = assertThrows(ConfigError.class, () -> ConfigLoader.load(null,
                List.of("llr.data.train-imgs=\"" + uri + "\"")));
        for (ConfigError e : List.of(set, fromFile, typo)) {
            assertFalse(e.getMessage().contains("s3cr3t") || e.getMessage().contains("AKIAEXAMPLE"), e.getMessage());
        }
        assertTrue(set.getMessage().startsWith("llr.data.train-images (from --set llr.data.train-images="),
                set.getMessage());
        assertTrue(set.getMessage().contains("s3a://<redacted>@bucket/fashion"), set.getMessage());
        assertTrue(fromFile.getMessage().startsWith("llr.output (from "), fromFile.getMessage());
        assertEquals("file:///data/a@b/train.idx", ConfigLoader.load(null,
                List.of("llr.data.train-images=\"file:///data/a@b/train.idx\"")).data().trainImages(),
                "an '@' in a local file name is no credential");
    }

    /** An include of a missing file stops the run (HOCON would drop it and run on the defaults); a present one applies. */
    @Test
    void includesAreRequired() throws IOException {
        Files.writeString(dir.resolve("base.conf"), "llr.training.epochs = 7\n");
        Path good = write("include \"base.conf\"\nllr.training.batch-size = 32\n");
        RunConfig config = ConfigLoader.load(good, List.of());
        assertEquals(7, config.training().epochs());
        assertEquals(32, config.training().batchSize());

        Path bad = write("include \"bsae.conf\"\nllr.training.batch-size = 32\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(bad, List.of()));
        assertTrue(e.getMessage().contains("include \"bsae.conf\"") && e.getMessage().contains("no such file"),
                e.getMessage());
    }

    /** Settings outside llr are mistakes (llr. left off), not extra keys to ignore. */
    @Test
    void keysOutsideLlrAreRefused() throws IOException {
        ConfigError set = assertThrows(ConfigError.class, () -> ConfigLoader.load(null, List.of("training.epochs=3")));
        assertTrue(set.getMessage().startsWith("unknown key training (set in --set training.epochs=3")
                && set.getMessage().contains("llr.training?"), set.getMessage());
        Path file = write("training { epochs = 3 }\n");
        ConfigError fromFile = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of()));
        assertTrue(fromFile.getMessage().startsWith("unknown key training"), fromFile.getMessage());
    }

    /** Should a credential ever get past the check, the configuration checkpoints and reports keep still masks it. */
    @Test
    void renderedConfigMasksCredentialsInUris() {
        String rendered = RedactedRendering.render(com.typesafe.config.ConfigFactory.parseString(
                "llr.data.train-images = \"s3a://AKIAEXAMPLE:s3cr3t/x@bucket/a.gz\"\nllr.output = \"s3a://bucket/runs/a\""));
        assertFalse(rendered.contains("s3cr3t") || rendered.contains("AKIAEXAMPLE"), rendered);
        assertTrue(rendered.contains("s3a://<redacted>@bucket/a.gz"), rendered);
        assertTrue(rendered.contains("s3a://bucket/runs/a"), "URIs without credentials stay as they are");
    }

    @Test
    void defaultsLoadAndPresetsResolve() throws IOException {
        RunConfig c = ConfigLoader.load(null, List.of());
        assertEquals("llr", c.training().objectiveName());
        LlrObjective.Settings paper = (LlrObjective.Settings) c.training().objectiveSettings();
        assertEquals(1.0, paper.nominalWeight());
        assertEquals(3.0, paper.mu());

        Path file = write("llr.training.llr = ${llr.presets.released}\nllr.training.llr.steps = 3\n");
        RunConfig released = ConfigLoader.load(file, List.of("llr.training.batch-size=64"));
        LlrObjective.Settings llr = (LlrObjective.Settings) released.training().objectiveSettings();
        assertEquals(2.0, llr.nominalWeight());
        assertEquals(1.2, llr.mu(), 1e-12);
        assertEquals(3, llr.steps());
        assertEquals(Perturbation.Rule.ADAM, llr.stepRule());
        assertEquals(64, released.training().batchSize());
        assertTrue(released.rendered().contains("nominal-weight"), "the resolved config is kept for checkpoints");
    }

    /** Every registered objective builds from its own section, under its own name. */
    @Test
    void everyObjectiveBuildsFromItsSection() {
        for (String name : Objectives.names()) {
            RunConfig c = ConfigLoader.load(null, List.of("llr.training.objective=" + name));
            assertEquals(name, c.training().objective().name());
        }
        RunConfig trades = ConfigLoader.load(null, List.of("llr.training.objective=trades", "llr.training.trades.beta=2"));
        assertEquals(2.0, ((TradesObjective.Settings) trades.training().objectiveSettings()).beta());
    }

    /** Every registered attack builds from its section, under its own name, in the configured order. */
    @Test
    void everyAttackBuildsFromItsSection() {
        List<String> names = Attacks.names().stream().filter(n -> !n.equals(Attacks.AUTOATTACK)).toList();
        RunConfig c = ConfigLoader.load(null, List.of("llr.evaluation.attacks=" + names, "llr.evaluation.pgd.steps=7",
                "llr.evaluation.targeted.restarts=3"));
        assertFalse(c.evaluation().cascade());
        assertEquals(names, c.evaluation().attacks().stream().map(Attack::name).toList());
        assertEquals(7, c.evaluation().attacks().get(names.indexOf("pgd-margin")).settings().get("steps"));
        assertEquals(3, c.evaluation().attacks().get(names.indexOf("multi-targeted")).settings().get("restarts"));
        assertError("llr.evaluation.targeted.steps=0", "llr.evaluation.targeted.steps: must be a positive integer");
    }

    /** autoattack: AutoAttack's standard stages without FAB, each from its section, in a cascade. */
    @Test
    void autoattackIsApgdCeThenApgdTThenSquareInACascade() {
        RunConfig c = ConfigLoader.load(null, List.of("llr.evaluation.attacks=[autoattack]",
                "llr.evaluation.square.queries=99"));
        assertEquals(List.of("apgd-ce", "apgd-t", "square"), c.evaluation().attacks().stream().map(Attack::name).toList());
        assertTrue(c.evaluation().cascade());
        assertEquals(99, c.evaluation().attacks().get(2).settings().get("queries"));
        assertEquals(9, c.evaluation().attacks().get(1).settings().get("target_classes"));
        assertError("llr.evaluation.attacks=[autoattack, square]", "llr.evaluation.attacks: square named twice");
        assertTrue(ConfigLoader.load(null, List.of("llr.evaluation.cascade=true")).evaluation().cascade());
    }

    @Test
    void unknownKeyIsNamedWithItsOrigin() throws IOException {
        Path file = write("llr.training.batchsize = 64\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, List.of()));
        assertTrue(e.getMessage().startsWith("unknown key llr.training.batchsize"), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        ConfigError e2 = assertThrows(ConfigError.class, () -> ConfigLoader.load(null, List.of("llr.training.lamda=3")));
        assertTrue(e2.getMessage().startsWith("unknown key llr.training.lamda"), e2.getMessage());
    }

    @Test
    void badValuesNameTheKey() {
        assertError("llr.training.batch-size=0", "llr.training.batch-size: must be a positive integer, got 0");
        assertError("llr.training.objective=pgd", "llr.training.objective: 'pgd' is not one of [adv, llr, standard, trades]");
        assertError("llr.training.epsilon=1.5", "llr.training.epsilon: must lie in [0, 1] (images are in [0, 1]), got 1.5");
        assertError("llr.training.llr.h=0", "llr.training.llr.h: must be a positive number, got 0.0");
        assertError("llr.training.llr.lambda=-1", "llr.training.llr.lambda: must be zero or a positive number, got -1.0");
        assertError("llr.training.llr.step-rule=momentum", "llr.training.llr.step-rule: 'momentum' is not one of [adam, sign]");
        assertError("llr.training.trades.steps=0", "llr.training.trades.steps: must be a positive integer, got 0");
        assertError("llr.training.adv.step-factor=0", "llr.training.adv.step-factor: must be a positive number");
        assertError("llr.evaluation.attacks=[pgd-ce, boundary]", "llr.evaluation.attacks: unknown attack 'boundary'");
        assertError("llr.evaluation.apgd.steps=0", "llr.evaluation.apgd.steps: must be a positive integer, got 0");
        assertError("llr.evaluation.apgd-targeted.target-classes=0",
                "llr.evaluation.apgd-targeted.target-classes: must be a positive integer, got 0");
        assertError("llr.evaluation.square.p-init=1.5", "llr.evaluation.square.p-init: must be at most 1, got 1.5");
        assertError("llr.evaluation.epsilons=[]", "llr.evaluation.epsilons: needs at least one radius");
        assertError("llr.network.architecture=vgg", "llr.network.architecture: 'vgg' is not one of [resnet-152, resnet-50, resnet-tiny, small-cnn, small-resnet] or wrn-D-K");
        assertError("llr.network.architecture=wrn-27-8", "llr.network.architecture: 'wrn-27-8' is not one of");
        assertError("llr.network.layers=fast", "llr.network.layers: 'fast' is not one of [dl4j, native]");
        assertError("llr.network.output-init-scale=-0.1", "llr.network.output-init-scale: must be zero or a positive number");
        assertError("llr.training.optimizer=sgd", "llr.training.optimizer: 'sgd' is not one of [adam, nesterov]");
        assertError("llr.training.momentum=1", "llr.training.momentum: must lie in [0, 1), got 1.0");
        assertError("llr.training.lr-boundaries=[100, 50]", "llr.training.lr-boundaries: must be increasing positive");
        assertError("llr.training.weight-decay=-1", "llr.training.weight-decay: must be zero or a positive number");
        assertError("llr.network.input-std=[0.5]", "llr.network.input-mean and llr.network.input-std: need one value per "
                + "channel each, got 0 and 1");
        assertError("llr.data.image-size=0", "llr.data.image-size: must be a positive integer, got 0");
        assertError("llr.training.epochs=two", "epochs");
        assertError("llr.training.epochs", "--set llr.training.epochs: expected key=value");
    }

    @Test
    void missingFileIsReported() {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(dir.resolve("nope.conf"), List.of()));
        assertEquals("config file " + dir.resolve("nope.conf") + " not found", e.getMessage());
    }

    private static void assertError(String override, String expected) {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(null, List.of(override)));
        assertTrue(e.getMessage().contains(expected), "for " + override + ": " + e.getMessage());
    }

    private Path write(String content) throws IOException {
        Path p = dir.resolve("test.conf");
        Files.writeString(p, content);
        return p;
    }
}
