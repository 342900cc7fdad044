package io.llrspark.model.data.cifar;

import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CIFAR-10 binary files written here byte by byte, read back, and broken in each documented way. */
public class Cifar10ReaderTest {
    @TempDir
    Path dir;

    /** n records; record r has label r % 10 and pixel value (r + channel·7 + i) % 256 at index i of each plane. */
    public static byte[] records(int n, int first) {
        byte[] b = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            b[r * 3073] = (byte) ((first + r) % 10);
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 1024; i++) {
                    b[r * 3073 + 1 + c * 1024 + i] = (byte) ((first + r + c * 7 + i) % 256);
                }
            }
        }
        return b;
    }

    private void writeTrain(int perFile) throws IOException {
        for (int f = 0; f < 5; f++) {
            Files.write(dir.resolve(Cifar10Reader.TRAIN_FILES.get(f)), records(perFile, f * perFile));
        }
    }

    @Test
    void readsTheFiveTrainingBatchesInOrderAsChannelFirstImages() throws IOException {
        writeTrain(3);
        Files.write(dir.resolve("test_batch.bin"), records(4, 100));
        LabeledImages train = Cifar10Reader.read(dir, true);
        LabeledImages test = Cifar10Reader.read(dir, false);
        assertEquals(15, train.size());
        assertEquals(4, test.size());
        assertEquals(7, train.labels()[7]);
        assertEquals(0, test.labels()[0]);
        DataSet batch = train.range(5, 7, DataType.FLOAT);
        assertEquals(Arrays.asList(2L, 3L, 32L, 32L), Arrays.stream(batch.getFeatures().shape()).boxed().toList());
        // Example 6, green plane (channel 1), row 2, column 5: index 2·32 + 5 = 69 in the plane.
        assertEquals(((6 + 7 + 69) % 256) / 255.0, batch.getFeatures().getDouble(1, 1, 2, 5), 1e-6);
        assertEquals(1.0, batch.getLabels().getDouble(1, 6));
        assertTrue(batch.getFeatures().maxNumber().doubleValue() <= 1.0);
    }

    @Test
    void badFilesFailNamingTheFileAndTheProblem() throws IOException {
        writeTrain(2);
        Files.delete(dir.resolve("data_batch_4.bin"));
        DataFormatException missing = assertThrows(DataFormatException.class, () -> Cifar10Reader.read(dir, true));
        assertTrue(missing.getMessage().contains("data_batch_4.bin") && missing.getMessage().contains("not found"),
                missing.getMessage());

        writeTrain(2);
        byte[] cut = Arrays.copyOf(records(2, 0), 3073 + 100);
        Files.write(dir.resolve("data_batch_2.bin"), cut);
        DataFormatException truncated = assertThrows(DataFormatException.class, () -> Cifar10Reader.read(dir, true));
        assertTrue(truncated.getMessage().contains("data_batch_2.bin") && truncated.getMessage().contains("3173 bytes"),
                truncated.getMessage());

        writeTrain(2);
        byte[] badLabel = records(2, 0);
        badLabel[3073] = 12;
        Files.write(dir.resolve("data_batch_5.bin"), badLabel);
        DataFormatException label = assertThrows(DataFormatException.class, () -> Cifar10Reader.read(dir, true));
        assertTrue(label.getMessage().contains("data_batch_5.bin") && label.getMessage().contains("record 1")
                && label.getMessage().contains("label 12"), label.getMessage());

        Files.write(dir.resolve("test_batch.bin"), new byte[0]);
        DataFormatException empty = assertThrows(DataFormatException.class, () -> Cifar10Reader.read(dir, false));
        assertTrue(empty.getMessage().contains("test_batch.bin") && empty.getMessage().contains("empty"));
    }
}
