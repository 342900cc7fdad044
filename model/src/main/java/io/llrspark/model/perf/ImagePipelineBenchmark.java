package io.llrspark.model.perf;

import io.llrspark.model.data.image.DecodedImage;
import io.llrspark.model.data.image.ImageAugmentation;
import io.llrspark.model.data.image.ImageDecoder;
import io.llrspark.model.data.image.UndecodableImageException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images per second per core for decoding alone and for decoding plus each augmentation, on one thread over the image
 * files under a directory (read into memory first, so the disk is not measured). Thread CPU time is reported beside
 * wall time: on a shared machine it is the per-core figure.
 * <pre>java -cp ... io.llrspark.model.perf.ImagePipelineBenchmark DIR [SIZE] [ROUNDS]</pre>
 */
public final class ImagePipelineBenchmark {
    private ImagePipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ImagePipelineBenchmark DIR [SIZE (224)] [ROUNDS (2)]");
            System.exit(2);
        }
        int size = args.length > 1 ? Integer.parseInt(args[1]) : ImageAugmentation.DEFAULT_SIZE;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<byte[]> files = read(Path.of(args[0]));
        long bytes = files.stream().mapToLong(f -> f.length).sum();
        System.out.printf(Locale.ROOT, "%d files, %.1f KB on average, output %dx%d%n", files.size(),
                bytes / 1024.0 / files.size(), size, size);
        run("decode", files, null, rounds);
        run("decode + training augmentation", files, ImageAugmentation.training(size), rounds);
        run("decode + evaluation augmentation", files, ImageAugmentation.evaluation(size), rounds);
    }

    private static void run(String what, List<byte[]> files, ImageAugmentation augmentation, int rounds)
            throws UndecodableImageException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        float[] out = augmentation == null ? null : new float[augmentation.outputLength()];
        long pixels = 0;
        // The first round warms the JIT up and is not counted.
        for (int round = 0; round <= rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                DecodedImage image = ImageDecoder.decode(files.get(i));
                pixels += (long) image.width() * image.height();
                if (augmentation != null) {
                    augmentation.apply(image, ImageAugmentation.exampleSeed(1, round, i), out, 0);
                }
            }
            if (round > 0) {
                double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                double wallSeconds = (System.nanoTime() - wall) / 1e9;
                System.out.printf(Locale.ROOT, "%-34s round %d: %.1f images/s per core (CPU time), %.1f images/s "
                        + "wall%n", what, round, files.size() / cpuSeconds, files.size() / wallSeconds);
            }
        }
        if (pixels < 0) {
            System.out.println(pixels);
        }
    }

    private static List<byte[]> read(Path dir) throws IOException {
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                byte[] b = Files.readAllBytes(p);
                try {
                    ImageDecoder.decode(b);
                    files.add(b);
                } catch (UndecodableImageException e) {
                    // Only images are timed.
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException(dir + ": no decodable image files");
        }
        return files;
    }
}
