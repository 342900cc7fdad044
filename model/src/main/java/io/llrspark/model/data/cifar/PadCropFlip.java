package io.llrspark.model.data.cifar;

import io.llrspark.model.data.Examples;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.image.ImageAugmentation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CIFAR's training augmentation over images held as bytes: pad by {@code pad} pixels (reflecting the border), crop
 * back to the original size at a random offset, flip horizontally with probability ½; drawn per (run seed, epoch,
 * example), so a resumed run sees the same images.
 */
public record PadCropFlip(LabeledImages images, int pad, long seed) implements Examples {

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int classes() {
        return images.classes();
    }

    @Override
    public DataSet batch(int[] indices, int epoch, DataType type) {
        int c = images.channels();
        int h = images.height();
        int w = images.width();
        int per = images.pixelsPerImage();
        byte[] pixels = images.pixels();
        float[] features = new float[indices.length * per];
        float[] oneHot = new float[indices.length * images.classes()];
        for (int i = 0; i < indices.length; i++) {
            long r = ImageAugmentation.exampleSeed(seed, epoch, indices[i]);
            int span = 2 * pad + 1;
            int dy = (int) Long.remainderUnsigned(r, span) - pad;
            int dx = (int) Long.remainderUnsigned(r >>> 16, span) - pad;
            boolean flip = ((r >>> 40) & 1) == 1;
            int src = indices[i] * per;
            int dst = i * per;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    int sy = reflect(y + dy, h);
                    for (int x = 0; x < w; x++) {
                        int sx = reflect((flip ? w - 1 - x : x) + dx, w);
                        features[dst + (ch * h + y) * w + x] = (pixels[src + (ch * h + sy) * w + sx] & 0xFF) / 255f;
                    }
                }
            }
            oneHot[i * images.classes() + images.labels()[indices[i]]] = 1f;
        }
        return new DataSet(Nd4j.create(features, new long[]{indices.length, c, h, w}, 'c').castTo(type),
                Nd4j.create(oneHot, new long[]{indices.length, images.classes()}, 'c').castTo(type));
    }

    /** The source coordinate of a padded one: mirrored at the border, without repeating the edge pixel. */
    public static int reflect(int i, int n) {
        if (i < 0) {
            return -i;
        }
        return i >= n ? 2 * n - 2 - i : i;
    }
}
