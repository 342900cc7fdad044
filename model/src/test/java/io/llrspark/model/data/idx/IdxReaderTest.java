package io.llrspark.model.data.idx;

import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.IdxFiles;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class IdxReaderTest {
    private static final int IMG = 0x803;
    private static final int LAB = 0x801;

    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedFilesIntoUnitRangeBatches() throws IOException {
        byte[] images = IdxFiles.images(IMG, 5, 3, 4, 5 * 12);
        byte[] labels = IdxFiles.labels(LAB, 5, 5, 10);
        LabeledImages plain = IdxReader.read(IdxFiles.write(dir, "i", images), IdxFiles.write(dir, "l", labels), 10);
        LabeledImages gz = IdxReader.read(IdxFiles.write(dir, "i.gz", IdxFiles.gzip(images)),
                IdxFiles.write(dir, "l.gz", IdxFiles.gzip(labels)), 10);
        assertEquals(5, plain.size());
        assertTrue(Arrays.equals(plain.pixels(), gz.pixels()));
        DataSet batch = plain.range(0, 5, DataType.FLOAT);
        assertEquals(java.util.List.of(5L, 1L, 3L, 4L), Arrays.stream(batch.getFeatures().shape()).boxed().toList());
        assertEquals(0.0, batch.getFeatures().minNumber().doubleValue());
        assertTrue(batch.getFeatures().maxNumber().doubleValue() <= 1.0);
        assertEquals((37 & 0xFF) / 255.0, batch.getFeatures().getDouble(0, 0, 0, 1), 1e-6);
        assertEquals(1.0, batch.getLabels().getDouble(3, 3));
        assertEquals(5.0, batch.getLabels().sumNumber().doubleValue());
    }

    @Test
    void wrongMagicNumberNamesTheFile() throws IOException {
        Path images = IdxFiles.write(dir, "images.idx", IdxFiles.images(LAB, 5, 3, 4, 60));
        Path labels = IdxFiles.write(dir, "labels.idx", IdxFiles.labels(LAB, 5, 5, 10));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().startsWith(images + ": not an IDX image file: magic number 0x00000801"), e.getMessage());
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> IdxReader.read(
                IdxFiles.write(dir, "ok", IdxFiles.images(IMG, 5, 3, 4, 60)), IdxFiles.write(dir, "bad",
                        IdxFiles.labels(IMG, 5, 5, 10)), 10));
        assertTrue(e2.getMessage().contains("bad: not an IDX label file"), e2.getMessage());
    }

    /** A .gz cut in half ends after about half its pixels, and says so (it said 0 bytes). */
    @Test
    void aCutGzipFileSaysHowFarItGot() throws IOException {
        int count = 200;
        byte[] header = IdxFiles.images(IMG, count, 28, 28, 0);
        byte[] pixels = new byte[count * 28 * 28];
        new java.util.Random(3).nextBytes(pixels);
        byte[] whole = Arrays.copyOf(header, header.length + pixels.length);
        System.arraycopy(pixels, 0, whole, header.length, pixels.length);
        byte[] gz = IdxFiles.gzip(whole);
        Path cut = IdxFiles.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        Path labels = IdxFiles.write(dir, "labels", IdxFiles.labels(LAB, count, count, 10));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(cut, labels, 10));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ends after (\\d+) bytes of pixels")
                .matcher(e.getMessage());
        assertTrue(m.find(), e.getMessage());
        long got = Long.parseLong(m.group(1));
        assertTrue(got > pixels.length * 0.4 && got < pixels.length * 0.6, "about half of " + pixels.length + ": "
                + e.getMessage());
    }

    @Test
    void truncatedDataIsReportedWithSizes() throws IOException {
        Path labels = IdxFiles.write(dir, "labels", IdxFiles.labels(LAB, 5, 5, 10));
        Path images = IdxFiles.write(dir, "images", IdxFiles.images(IMG, 5, 3, 4, 50));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().contains("images: truncated") && e.getMessage().contains("ends after 50 bytes"), e.getMessage());

        byte[] gz = IdxFiles.gzip(IdxFiles.images(IMG, 5, 3, 4, 60));
        Path cut = IdxFiles.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> IdxReader.read(cut, labels, 10));
        assertTrue(e2.getMessage().startsWith(cut + ": truncated"), e2.getMessage());

        Path shortLabels = IdxFiles.write(dir, "short", IdxFiles.labels(LAB, 5, 3, 10));
        Path fine = IdxFiles.write(dir, "fine", IdxFiles.images(IMG, 5, 3, 4, 60));
        DataFormatException e3 = assertThrows(DataFormatException.class, () -> IdxReader.read(fine, shortLabels, 10));
        assertTrue(e3.getMessage().contains("short: truncated: header says 5 labels but the file ends after 3"), e3.getMessage());

        Path header = IdxFiles.write(dir, "header", new byte[]{0, 0, 8});
        DataFormatException e4 = assertThrows(DataFormatException.class, () -> IdxReader.read(header, labels, 10));
        assertTrue(e4.getMessage().contains("header: truncated: the file ends inside its header"), e4.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path images = IdxFiles.write(dir, "images", IdxFiles.images(IMG, 5, 3, 4, 60));
        Path labels = IdxFiles.write(dir, "labels", IdxFiles.labels(LAB, 4, 4, 10));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels, 10));
        assertTrue(e.getMessage().contains("has 4 labels but " + images + " has 5 images"), e.getMessage());
    }

    @Test
    void missingFileAndOutOfRangeLabel() throws IOException {
        Path images = IdxFiles.write(dir, "images", IdxFiles.images(IMG, 5, 3, 4, 60));
        Path missing = dir.resolve("nope.gz");
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(images, missing, 10));
        assertEquals(missing + ": file not found", e.getMessage());
        Path labels = IdxFiles.write(dir, "labels", IdxFiles.labels(LAB, 5, 5, 10));
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> IdxReader.read(images, labels, 3));
        assertTrue(e2.getMessage().contains("label 3 at index 3 is outside [0, 3)"), e2.getMessage());
    }

    @Test
    void readsTheRealFashionMnistTestSet() {
        Path root = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(root), "dataset-fashion-mnist is not installed (.ci/run installs it)");
        LabeledImages test = IdxReader.read(root.resolve("t10k-images-idx3-ubyte.gz"),
                root.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        assertEquals(10_000, test.size());
        assertEquals(28, test.height());
        int[] perClass = new int[10];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        assertTrue(Arrays.stream(perClass).allMatch(c -> c == 1000), Arrays.toString(perClass));
    }
}
