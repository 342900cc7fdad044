import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Writes the first N images of an MNIST-style IDX pair (gzipped) as grayscale JPEG files in an ImageNet-style layout,
 * OUT/<split>/class-<label>/<split>-<index>.JPEG, so the image path (prepare-data, shards, decoding, augmentation) can
 * be run on real data on a machine without ImageNet. JDK only:
 *   java submit/tools/IdxToImageTree.java IMAGES.gz LABELS.gz OUT SPLIT N
 */
public final class IdxToImageTree {
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: IdxToImageTree IMAGES.gz LABELS.gz OUT SPLIT N");
            System.exit(2);
        }
        int n = Integer.parseInt(args[4]);
        try (DataInputStream images = open(args[0]); DataInputStream labels = open(args[1])) {
            if (images.readInt() != 0x803 || labels.readInt() != 0x801) {
                throw new IOException("not an IDX image/label pair: " + args[0] + ", " + args[1]);
            }
            int count = images.readInt();
            int rows = images.readInt();
            int cols = images.readInt();
            if (labels.readInt() != count) {
                throw new IOException("image and label counts differ");
            }
            byte[] pixels = new byte[rows * cols];
            for (int i = 0; i < Math.min(n, count); i++) {
                images.readFully(pixels);
                int label = labels.readUnsignedByte();
                BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, cols, rows, pixels);
                Path file = Path.of(args[2], args[3], "class-" + label, String.format("%s-%05d.JPEG", args[3], i));
                Files.createDirectories(file.getParent());
                if (!ImageIO.write(image, "jpeg", file.toFile())) {
                    throw new IOException("no JPEG writer");
                }
            }
        }
    }

    private static DataInputStream open(String path) throws IOException {
        InputStream in = Files.newInputStream(Path.of(path));
        return new DataInputStream(new java.io.BufferedInputStream(path.endsWith(".gz") ? new GZIPInputStream(in) : in));
    }
}
