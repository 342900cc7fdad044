package io.llrspark.spark;

import io.llrspark.model.data.LabeledImages;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes in-memory test images as the IDX files the jobs read, and the config overrides that point at them. */
public final class SparkTestData {
    private SparkTestData() {
    }

    /** Writes {@code images.idx} and {@code labels.idx} under dir; returns the llr.data overrides. */
    public static List<String> writeIdx(LabeledImages data, Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(img)) {
            out.writeInt(0x00000803);
            out.writeInt(data.size());
            out.writeInt(data.height());
            out.writeInt(data.width());
            out.write(data.pixels());
        }
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(lab)) {
            out.writeInt(0x00000801);
            out.writeInt(data.size());
            for (int label : data.labels()) {
                out.writeByte(label);
            }
        }
        Path images = Files.write(dir.resolve("images.idx"), img.toByteArray());
        Path labels = Files.write(dir.resolve("labels.idx"), lab.toByteArray());
        return List.of("llr.data.train-images=\"" + images + "\"", "llr.data.train-labels=\"" + labels + "\"",
                "llr.data.test-images=\"" + images + "\"", "llr.data.test-labels=\"" + labels + "\"",
                "llr.data.classes=" + data.classes());
    }
}
