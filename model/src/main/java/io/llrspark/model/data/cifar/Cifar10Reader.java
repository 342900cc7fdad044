package io.llrspark.model.data.cifar;

import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.LabeledImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10's binary format: files of 3073-byte records, a label byte (0–9) then the 32×32 image as three 1024-byte
 * planes (red, green, blue), which is exactly {@link LabeledImages}' channel-first layout. The training set is
 * {@code data_batch_1.bin} … {@code data_batch_5.bin}, the test set {@code test_batch.bin}. A missing file, a size that
 * is not a whole number of records, or a label outside 0–9 fails naming the file and the record.
 */
public final class Cifar10Reader {
    public static final int CLASSES = 10;
    public static final int SIDE = 32;
    private static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    private static final int RECORD = 1 + IMAGE_BYTES;
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    public static final List<String> TEST_FILES = List.of("test_batch.bin");

    private Cifar10Reader() {
    }

    /** The training or test set from the directory CIFAR-10's archive unpacks to ({@code cifar-10-batches-bin}). */
    public static LabeledImages read(Path directory, boolean train) {
        List<Named> files = new ArrayList<>();
        for (String name : train ? TRAIN_FILES : TEST_FILES) {
            Path p = directory.resolve(name);
            try {
                files.add(new Named(p.toString(), Files.readAllBytes(p)));
            } catch (NoSuchFileException e) {
                throw new DataFormatException(p.toString(), "file not found (expected CIFAR-10's binary version, "
                        + "cifar-10-batches-bin/" + name + ")");
            } catch (IOException e) {
                throw new DataFormatException(p.toString(), "cannot be read: " + e.getMessage(), e);
            }
        }
        return parse(files);
    }

    /** A file's name (for messages) and contents. */
    public record Named(String name, byte[] bytes) {
        public static Named of(String name, InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return new Named(name, out.toByteArray());
        }
    }

    /** Concatenates the records of the given files, in order. */
    public static LabeledImages parse(List<Named> files) {
        int records = 0;
        for (Named f : files) {
            if (f.bytes().length == 0) {
                throw new DataFormatException(f.name(), "is empty");
            }
            if (f.bytes().length % RECORD != 0) {
                throw new DataFormatException(f.name(), "has " + f.bytes().length + " bytes, not a whole number of "
                        + RECORD + "-byte records (label + 32x32x3 image): truncated or not CIFAR-10 binary; "
                        + "the last record would start at byte " + (f.bytes().length / RECORD) * RECORD);
            }
            records += f.bytes().length / RECORD;
        }
        byte[] pixels = new byte[records * IMAGE_BYTES];
        int[] labels = new int[records];
        int at = 0;
        for (Named f : files) {
            byte[] b = f.bytes();
            for (int r = 0; r < b.length / RECORD; r++, at++) {
                int label = b[r * RECORD] & 0xFF;
                if (label >= CLASSES) {
                    throw new DataFormatException(f.name(), "record " + r + " has label " + label + ", outside 0-9");
                }
                labels[at] = label;
                System.arraycopy(b, r * RECORD + 1, pixels, at * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new LabeledImages(pixels, labels, 3, SIDE, SIDE, CLASSES);
    }
}
