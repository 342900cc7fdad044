package io.llrspark.model.data.prepare;

import io.llrspark.model.data.image.DecodedImage;
import io.llrspark.model.data.image.TestImages;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small ImageNet-layout tree of real image files, with bad files planted among them, and what preparing it must
 * give: per split the images by name (their expected pixels), the examples per class and the bad files per reason.
 * Images vary in size and aspect ratio and include grayscale, Adobe CMYK and YCCK JPEGs and a PNG named .JPEG.
 */
public final class ImageNetTree {
    public static final List<String> WNIDS = List.of("n01440764", "n01443537", "n01484850");
    /** The flat layout's labels file, at the root, in Kaggle's LOC_val_solution.csv form. */
    public static final String LABELS = "LOC_val_solution.csv";

    private final Path root;
    private final Map<String, Map<String, DecodedImage>> images = new TreeMap<>();
    private final Map<String, Map<String, SkipReason>> bad = new TreeMap<>();
    private final Map<String, int[]> perClass = new TreeMap<>();
    private final Map<String, Integer> labels = new TreeMap<>();
    private long seed = 1;

    private ImageNetTree(Path root) {
        this.root = root;
        for (String split : List.of(PrepareConfig.TRAIN, PrepareConfig.VAL)) {
            images.put(split, new TreeMap<>());
            bad.put(split, new TreeMap<>());
            perClass.put(split, new int[WNIDS.size()]);
        }
    }

    /**
     * @param flatVal         val/ as one directory plus {@link #LABELS} (else one directory per class)
     * @param danglingLink    plant a link to a missing file (unreadable; Hadoop's local file system does not list
     *                        such links at all, so only plain local storage sees it)
     */
    public static ImageNetTree write(Path root, boolean flatVal, boolean danglingLink) throws IOException {
        ImageNetTree t = new ImageNetTree(root);
        int[][] sizes = {{37, 50}, {64, 48}, {120, 33}, {23, 90}, {80, 80}};
        for (int c = 0; c < WNIDS.size(); c++) {
            String w = WNIDS.get(c);
            t.image("train", w + "/" + w + "_1.JPEG", c, TestImages.pattern(sizes[c][0], sizes[c][1], t.seed++), "rgb");
            t.image("train", w + "/" + w + "_2.JPEG", c, TestImages.grayPattern(sizes[c + 1][0], sizes[c + 1][1],
                    t.seed++), "rgb");
            t.image("train", w + "/" + w + "_3.JPEG", c, TestImages.pattern(sizes[c + 2][1], sizes[c + 2][0],
                    t.seed++), "rgb");
            t.image("train", w + "/" + w + "_4.JPEG", c, TestImages.pattern(41 + c, 29, t.seed++),
                    List.of("cmyk", "ycck", "png").get(c));
        }
        String w0 = WNIDS.get(0);
        String w1 = WNIDS.get(1);
        String w2 = WNIDS.get(2);
        t.bad("train", w0 + "/" + w0 + "_9.JPEG", SkipReason.CORRUPT,
                TestImages.truncated(TestImages.jpeg(TestImages.pattern(90, 70, 99)), 0.6));
        t.bad("train", w1 + "/" + w1 + "_8.JPEG", SkipReason.CORRUPT,
                TestImages.truncated(TestImages.jpeg(TestImages.pattern(60, 60, 98)), 0.3));
        t.bad("train", w1 + "/" + w1 + "_9.JPEG", SkipReason.ZERO_BYTE, new byte[0]);
        t.bad("train", w2 + "/notes.txt", SkipReason.NOT_AN_IMAGE, "not an image\n".getBytes(StandardCharsets.UTF_8));
        t.bad("train", w2 + "/" + w2 + "_9.JPEG", SkipReason.NOT_AN_IMAGE,
                "<html>404 Not Found</html>".getBytes(StandardCharsets.UTF_8));
        // Not part of the layout: ignored, not counted.
        Files.writeString(root.resolve("train/README"), "ImageNet-layout test tree\n");
        Files.createDirectories(root.resolve("train/" + w0 + "/nested"));
        Files.writeString(root.resolve("train/" + w0 + "/nested/ignored.JPEG"), "ignored");
        if (danglingLink) {
            String name = w2 + "/" + w2 + "_7.JPEG";
            t.bad.get("train").put(name, SkipReason.UNREADABLE);
            Files.createSymbolicLink(root.resolve("train/" + name), root.resolve("missing.JPEG"));
        }

        StringBuilder labelLines = new StringBuilder("ImageId,PredictionString\n");
        for (int i = 0; i < 6; i++) {
            int c = i % WNIDS.size();
            String name = flatVal ? String.format("ILSVRC2012_val_%08d.JPEG", i + 1)
                    : WNIDS.get(c) + "/" + String.format("ILSVRC2012_val_%08d.JPEG", i + 1);
            BufferedImage image = i % 2 == 0 ? TestImages.pattern(50 + 7 * i, 40, t.seed++)
                    : TestImages.grayPattern(33, 61 - i, t.seed++);
            t.image("val", name, c, image, "rgb");
            labelLines.append(name.replace(".JPEG", "")).append(',').append(WNIDS.get(c)).append(" 1 2 30 40\n");
        }
        String corrupt = flatVal ? "ILSVRC2012_val_00000007.JPEG" : w0 + "/ILSVRC2012_val_00000007.JPEG";
        t.bad("val", corrupt, SkipReason.CORRUPT, TestImages.truncated(TestImages.jpeg(TestImages.pattern(64, 64, 97)),
                0.5));
        labelLines.append("ILSVRC2012_val_00000007,").append(w0).append('\n');
        String empty = flatVal ? "ILSVRC2012_val_00000008.JPEG" : w2 + "/ILSVRC2012_val_00000008.JPEG";
        t.bad("val", empty, SkipReason.ZERO_BYTE, new byte[0]);
        labelLines.append("ILSVRC2012_val_00000008,").append(w2).append('\n');
        if (flatVal) {
            t.bad("val", "ILSVRC2012_val_00000009.JPEG", SkipReason.UNLABELED,
                    TestImages.jpeg(TestImages.pattern(20, 20, 96)));
            Files.writeString(root.resolve(LABELS), labelLines);
        }
        return t;
    }

    private void image(String split, String name, int label, BufferedImage image, String encoding)
            throws IOException {
        byte[] bytes = switch (encoding) {
            case "rgb" -> TestImages.jpeg(image);
            case "cmyk" -> TestImages.adobeCmykJpeg(image, false);
            case "ycck" -> TestImages.adobeCmykJpeg(image, true);
            case "png" -> TestImages.png(image);
            default -> throw new IllegalArgumentException(encoding);
        };
        write(split, name, bytes);
        images.get(split).put(name, TestImages.expected(image));
        labels.put(split + "/" + name, label);
        perClass.get(split)[label]++;
    }

    private void bad(String split, String name, SkipReason reason, byte[] bytes) throws IOException {
        write(split, name, bytes);
        this.bad.get(split).put(name, reason);
    }

    private void write(String split, String name, byte[] bytes) throws IOException {
        Path p = root.resolve(split).resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    public Path root() {
        return root;
    }

    /** The images of a split by name under the split's directory, as they must decode. */
    public Map<String, DecodedImage> images(String split) {
        return images.get(split);
    }

    /** The planted bad files of a split by name, with the reason each must be skipped for. */
    public Map<String, SkipReason> bad(String split) {
        return bad.get(split);
    }

    /** The planted bad files of a split per reason, every reason present (most of them zero). */
    public Map<SkipReason, Integer> badCounts(String split) {
        Map<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            counts.put(r, 0);
        }
        bad.get(split).values().forEach(r -> counts.merge(r, 1, Integer::sum));
        return counts;
    }

    public int badCount(String split) {
        return bad.get(split).size();
    }

    /** The label an image was written for. */
    public int labelOf(String split, String name) {
        return labels.get(split + "/" + name);
    }

    /** Examples per label. */
    public int[] perClass(String split) {
        return perClass.get(split).clone();
    }

    public int files(String split) {
        return images.get(split).size() + badCount(split);
    }
}
