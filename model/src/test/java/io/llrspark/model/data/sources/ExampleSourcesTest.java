package io.llrspark.model.data.sources;

import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.Examples;
import io.llrspark.model.data.IdxFiles;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.cifar.Cifar10Reader;
import io.llrspark.model.data.cifar.Cifar10ReaderTest;
import io.llrspark.model.data.cifar.PadCropFlip;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sources behind {@code llr.data.format}: IDX and CIFAR-10 files as the jobs read them. */
class ExampleSourcesTest {
    @TempDir
    Path dir;
    private final LocalStorage storage = new LocalStorage();

    private RunConfig config(String... settings) {
        List<String> all = new ArrayList<>(List.of(settings));
        all.add("llr.output=\"" + dir.resolve("run") + "\"");
        return ConfigLoader.load(null, all);
    }

    @Test
    void idxFilesAreNamedByTheirKeysAndReadOncePerJvm() throws Exception {
        Path images = IdxFiles.write(dir, "img.idx", IdxFiles.images(0x803, 30, 6, 6, 30 * 36));
        Path labels = IdxFiles.write(dir, "lab.idx", IdxFiles.labels(0x801, 30, 30, 4));
        RunConfig c = config("llr.data.train-images=\"" + images + "\"", "llr.data.train-labels=\"" + labels + "\"",
                "llr.data.test-images=\"" + dir.resolve("nope.idx") + "\"", "llr.data.test-labels=\"" + labels + "\"",
                "llr.data.train-limit=20");
        ExampleSource train = ExampleSources.training(c.data(), c.seed());
        train.requireExists(storage);
        assertEquals(new DatasetShape(20, 1, 6, 6, 10), train.shape(storage), "0 classes: MNIST's 10");
        Examples examples = train.open(storage);
        assertEquals(20, examples.size());
        assertSame(examples, train.open(storage), "one copy per JVM");
        ConfigError e = assertThrows(ConfigError.class,
                () -> ExampleSources.test(c.data(), c.seed()).requireExists(storage));
        assertTrue(e.getMessage().startsWith("llr.data.test-images: "), e.getMessage());
    }

    private void writeCifar(int perFile) throws Exception {
        for (int f = 0; f < 5; f++) {
            Files.write(dir.resolve(Cifar10Reader.TRAIN_FILES.get(f)), Cifar10ReaderTest.records(perFile, f * perFile));
        }
        Files.write(dir.resolve("test_batch.bin"), Cifar10ReaderTest.records(7, 100));
    }

    /**
     * Training images are the originals padded by 4 (mirrored), cropped at a random offset and maybe flipped: every
     * augmented image is exactly one of those 162 candidates, not all are the identity, and the draw depends on the
     * epoch only through the seed. Test images are the originals.
     */
    @Test
    void cifarTrainingImagesArePaddedCroppedAndFlipped() throws Exception {
        writeCifar(4);
        RunConfig c = config("llr.data.format=cifar10", "llr.data.cifar-directory=\"" + dir + "\"");
        ExampleSource train = ExampleSources.training(c.data(), c.seed());
        train.requireExists(storage);
        assertEquals(new DatasetShape(20, 3, 32, 32, 10), train.shape(storage));
        Examples augmented = train.open(storage);
        LabeledImages plain = Cifar10Reader.read(dir, true);
        int[] all = new int[20];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        DataSet epoch0 = augmented.batch(all, 0, DataType.FLOAT);
        DataSet again = augmented.batch(all, 0, DataType.FLOAT);
        DataSet epoch1 = augmented.batch(all, 1, DataType.FLOAT);
        DataSet originals = plain.batch(all, DataType.FLOAT);
        assertEquals(originals.getLabels(), epoch0.getLabels());
        assertEquals(epoch0.getFeatures(), again.getFeatures(), "same seed and epoch, same images");
        assertFalse(epoch0.getFeatures().equals(epoch1.getFeatures()), "a new epoch draws new crops");
        int identity = 0;
        for (int i = 0; i < all.length; i++) {
            int[] found = candidate(originals.getFeatures().slice(i), epoch0.getFeatures().slice(i));
            assertTrue(found != null, "example " + i + " is no pad-crop-flip of its original");
            identity += found[0] == 0 && found[1] == 0 && found[2] == 0 ? 1 : 0;
        }
        assertTrue(identity < 5, identity + " of 20 images left as they were");

        Examples test = ExampleSources.test(c.data(), c.seed()).open(storage);
        assertInstanceOf(LabeledImages.class, test, "evaluation does not augment");
        assertEquals(7, test.size());
    }

    /** {dy, dx, flip} reproducing {@code out} from {@code in}, or null. */
    private static int[] candidate(INDArray in, INDArray out) {
        for (int flip = 0; flip < 2; flip++) {
            for (int dy = -4; dy <= 4; dy++) {
                for (int dx = -4; dx <= 4; dx++) {
                    if (matches(in, out, dy, dx, flip == 1)) {
                        return new int[]{dy, dx, flip};
                    }
                }
            }
        }
        return null;
    }

    private static boolean matches(INDArray in, INDArray out, int dy, int dx, boolean flip) {
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int sy = PadCropFlip.reflect(y + dy, 32);
                    int sx = PadCropFlip.reflect((flip ? 31 - x : x) + dx, 32);
                    if (in.getFloat(ch, sy, sx) != out.getFloat(ch, y, x)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Test
    void reflectionMirrorsWithoutRepeatingTheEdge() {
        assertArrayEquals(new int[]{2, 1, 0, 1, 2, 3, 2, 1},
                new int[]{PadCropFlip.reflect(-2, 4), PadCropFlip.reflect(-1, 4), PadCropFlip.reflect(0, 4),
                        PadCropFlip.reflect(1, 4), PadCropFlip.reflect(2, 4), PadCropFlip.reflect(3, 4),
                        PadCropFlip.reflect(4, 4), PadCropFlip.reflect(5, 4)});
    }

    @Test
    void formatSettingsAreCheckedWhereTheyApply() throws Exception {
        assertTrue(assertThrows(ConfigError.class, () -> config("llr.data.format=prepared")).getMessage()
                .startsWith("llr.data.prepared: must not be empty"));
        assertTrue(assertThrows(ConfigError.class, () -> config("llr.data.format=cifar10")).getMessage()
                .startsWith("llr.data.cifar-directory: must not be empty"));
        assertTrue(assertThrows(ConfigError.class, () -> config("llr.data.format=cifar10",
                "llr.data.cifar-directory=x", "llr.data.classes=7")).getMessage().contains("CIFAR-10 has 10 classes"));
        assertTrue(assertThrows(ConfigError.class, () -> config("llr.data.format=jpeg")).getMessage()
                .startsWith("llr.data.format: 'jpeg' is not one of"));
        RunConfig c = config("llr.data.format=cifar10", "llr.data.cifar-directory=\"" + dir.resolve("none") + "\"");
        ConfigError missing = assertThrows(ConfigError.class,
                () -> ExampleSources.training(c.data(), c.seed()).requireExists(storage));
        assertTrue(missing.getMessage().startsWith("llr.data.cifar-directory: ")
                && missing.getMessage().contains("data_batch_1.bin"), missing.getMessage());
        // A prepared-data run needs no IDX paths.
        config("llr.data.format=prepared", "llr.data.prepared=\"s3a://bucket/imagenet\"", "llr.data.train-images=\"\"");
    }
}
