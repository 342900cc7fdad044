package io.llrspark.model.data.idx;

import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.LabeledImages;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (unsigned-byte images, magic 0x00000803, and labels, magic 0x00000801), gzipped or not.
 * Streams, not paths, are the primitive so that the same reader serves local files and Hadoop file systems.
 */
public final class IdxReader {
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Reads an image file and its label file from local paths. */
    public static LabeledImages read(Path images, Path labels, int classes) {
        try (InputStream in = open(images); InputStream lab = open(labels)) {
            return read(images.toString(), in, labels.toString(), lab, classes);
        } catch (IOException e) {
            throw new DataFormatException(images + " / " + labels, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path p) throws IOException {
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(p.toString(), "file not found");
        }
    }

    /**
     * The geometry and example count from an image file's header alone: what a driver needs to plan an epoch
     * without reading the data its executors will decode.
     */
    public static DatasetShape shape(String imagesName, InputStream images, int classes) throws IOException {
        DataInputStream img = new DataInputStream(maybeGunzip(imagesName, images));
        return imageHeader(imagesName, img, classes);
    }

    private static DatasetShape imageHeader(String imagesName, DataInputStream img, int classes) throws IOException {
        int magic = header(imagesName, img, "magic number");
        if (magic != IMAGES_MAGIC) {
            throw new DataFormatException(imagesName, String.format(
                    "not an IDX image file: magic number 0x%08X, expected 0x%08X (unsigned bytes, 3 dimensions)",
                    magic, IMAGES_MAGIC));
        }
        int count = nonNegative(imagesName, "image count", header(imagesName, img, "image count"));
        int rows = nonNegative(imagesName, "row count", header(imagesName, img, "row count"));
        int cols = nonNegative(imagesName, "column count", header(imagesName, img, "column count"));
        return new DatasetShape(count, 1, rows, cols, classes);
    }

    /**
     * @param imagesName, labelsName how to name the files in error messages
     * @param classes     labels must lie in [0, classes)
     */
    public static LabeledImages read(String imagesName, InputStream images, String labelsName, InputStream labels,
                                     int classes) throws IOException {
        DataInputStream img = new DataInputStream(maybeGunzip(imagesName, images));
        DatasetShape shape = imageHeader(imagesName, img, classes);
        int count = shape.size();
        int rows = shape.height();
        int cols = shape.width();
        long bytes = (long) count * rows * cols;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(imagesName, "header says " + count + " images of " + rows + "x" + cols
                    + ", too large to hold in memory as one array");
        }
        byte[] pixels = new byte[(int) bytes];
        int got = readFully(img, pixels);
        if (got < bytes) {
            throw new DataFormatException(imagesName, "truncated: header says " + count + " images of " + rows + "x"
                    + cols + " (" + bytes + " bytes of pixels) but the file ends after " + got + " bytes of pixels");
        }

        DataInputStream lab = new DataInputStream(maybeGunzip(labelsName, labels));
        int labelMagic = header(labelsName, lab, "magic number");
        if (labelMagic != LABELS_MAGIC) {
            throw new DataFormatException(labelsName, String.format(
                    "not an IDX label file: magic number 0x%08X, expected 0x%08X (unsigned bytes, 1 dimension)",
                    labelMagic, LABELS_MAGIC));
        }
        int labelCount = nonNegative(labelsName, "label count", header(labelsName, lab, "label count"));
        if (labelCount != count) {
            throw new DataFormatException(labelsName, "has " + labelCount + " labels but " + imagesName + " has "
                    + count + " images");
        }
        byte[] raw = new byte[labelCount];
        int gotLabels = readFully(lab, raw);
        if (gotLabels < labelCount) {
            throw new DataFormatException(labelsName, "truncated: header says " + labelCount
                    + " labels but the file ends after " + gotLabels);
        }
        int[] out = new int[labelCount];
        for (int i = 0; i < labelCount; i++) {
            out[i] = raw[i] & 0xFF;
            if (out[i] >= classes) {
                throw new DataFormatException(labelsName, "label " + out[i] + " at index " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        return new LabeledImages(pixels, out, 1, rows, cols, classes);
    }

    private static InputStream maybeGunzip(String name, InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int first = b.read();
        int second = b.read();
        b.reset();
        if (first == 0x1f && second == 0x8b) {
            try {
                // Not wrapped in a BufferedInputStream: one bulk read of it loops over several reads of the gzip
                // stream and drops what they returned when a later one hits a cut end, so a truncated file would
                // seem to end after 0 bytes.
                return new GZIPInputStream(b, 1 << 16);
            } catch (IOException e) {
                throw new DataFormatException(name, "starts like gzip but is not valid gzip: " + e.getMessage(), e);
            }
        }
        return b;
    }

    private static int header(String name, DataInputStream in, String field) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(name, "truncated: the file ends inside its header (reading the " + field + ")");
        }
    }

    private static int nonNegative(String name, String field, int value) {
        if (value < 0) {
            throw new DataFormatException(name, "header has a negative " + field + " (" + value + ")");
        }
        return value;
    }

    private static int readFully(InputStream in, byte[] into) throws IOException {
        int off = 0;
        while (off < into.length) {
            int n;
            try {
                n = in.read(into, off, into.length - off);
            } catch (EOFException e) {
                // GZIPInputStream reports a cut-off compressed stream this way.
                return off;
            }
            if (n < 0) {
                return off;
            }
            off += n;
        }
        return off;
    }
}
