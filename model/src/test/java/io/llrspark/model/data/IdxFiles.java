package io.llrspark.model.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
public final class IdxFiles {
    private IdxFiles() {
    }

    public static byte[] images(int magic, int count, int rows, int cols, int pixelBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < pixelBytes; i++) {
            out.writeByte((i * 37) & 0xFF);
        }
        return bytes.toByteArray();
    }

    public static byte[] labels(int magic, int count, int labelBytes, int classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int i = 0; i < labelBytes; i++) {
            out.writeByte(i % classes);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    public static Path write(Path dir, String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
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
