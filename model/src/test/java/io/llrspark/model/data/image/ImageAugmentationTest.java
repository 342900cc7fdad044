package io.llrspark.model.data.image;

import io.llrspark.model.data.shard.ShardRecord;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageAugmentationTest {

    /** Red is the column, green the row, blue constant: a resampler must reproduce such ramps. */
    private static DecodedImage ramps(int width, int height) {
        byte[] rgb = new byte[3 * width * height];
        for (int y = 0, o = 0; y < height; y++) {
            for (int x = 0; x < width; x++, o += 3) {
                rgb[o] = (byte) x;
                rgb[o + 1] = (byte) y;
                rgb[o + 2] = (byte) 200;
            }
        }
        return new DecodedImage(width, height, rgb);
    }

    private static float at(float[] chw, int size, int c, int x, int y) {
        return chw[c * size * size + y * size + x];
    }

    @Test
    void anImageOfTheOutputSizeWithoutCroppingComesOutUnchanged() {
        DecodedImage image = TestImages.expected(TestImages.pattern(32, 32, 7));
        float[] out = ImageAugmentation.evaluation(32, 1.0).apply(image, 0);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(image.sample(x, y, c) / 255f, at(out, 32, c, x, y), 1e-6);
                }
            }
        }
    }

    @Test
    void evaluationResizesTheShorterSideThenCropsTheCentre() {
        // 256x200: shorter side 200 -> 64/0.875 = 73.14, so the 64-pixel crop covers 175 source pixels, centred.
        ImageAugmentation eval = ImageAugmentation.evaluation(64);
        CropWindow w = eval.window(256, 200, 123);
        assertEquals(175, w.width(), 1e-9);
        assertEquals(175, w.height(), 1e-9);
        assertEquals(40.5, w.x(), 1e-9);
        assertEquals(12.5, w.y(), 1e-9);
        assertFalse(w.flip());
        float[] out = eval.apply(ramps(256, 200), 99);
        double step = 175.0 / 64;
        for (int o = 0; o < 64; o++) {
            // Source pixel t holds value t at its centre t + 0.5: the ramp at output centre c is c - 0.5.
            double expectedRed = 40.5 + (o + 0.5) * step - 0.5;
            double expectedGreen = 12.5 + (o + 0.5) * step - 0.5;
            assertEquals(expectedRed, 255 * at(out, 64, 0, o, 30), 0.35, "column " + o);
            assertEquals(expectedGreen, 255 * at(out, 64, 1, 30, o), 0.35, "row " + o);
            assertEquals(200 / 255f, at(out, 64, 2, o, o), 1e-5);
        }
    }

    @Test
    void reducingAveragesOverTheSourcePixelsInsteadOfSkippingThem() {
        // One-pixel stripes reduced three times: an antialiased resize sees gray, point sampling would see stripes.
        byte[] rgb = new byte[3 * 192 * 192];
        for (int i = 0; i < 192 * 192; i++) {
            byte v = (byte) ((i % 192) % 2 == 0 ? 0 : 255);
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = v;
        }
        float[] out = ImageAugmentation.evaluation(64, 1.0).apply(new DecodedImage(192, 192, rgb), 0);
        for (float v : out) {
            assertEquals(0.5, v, 0.1);
        }
    }

    @Test
    void trainingCropsFollowTheScaleAndRatioRangesAndFlipHalfTheTime() {
        ImageAugmentation train = ImageAugmentation.training(224);
        int flips = 0;
        Set<CropWindow> distinct = new HashSet<>();
        for (long seed = 0; seed < 2000; seed++) {
            CropWindow w = train.window(500, 375, seed);
            assertTrue(w.x() >= 0 && w.y() >= 0 && w.x() + w.width() <= 500 && w.y() + w.height() <= 375, w.toString());
            double scale = w.width() * w.height() / (500.0 * 375);
            double ratio = w.width() / w.height();
            assertTrue(scale > 0.079 && scale <= 1, "scale " + scale);
            assertTrue(ratio > 0.74 && ratio < 1.35, "ratio " + ratio);
            flips += w.flip() ? 1 : 0;
            distinct.add(w);
            assertEquals(w, train.window(500, 375, seed), "same seed, same window");
        }
        assertTrue(flips > 900 && flips < 1100, flips + " flips in 2000");
        assertTrue(distinct.size() > 1990);
    }

    @Test
    void anExtremeAspectRatioFallsBackToTheCentralCropOfTheNearestAllowedRatio() {
        CropWindow w = ImageAugmentation.training(224).window(1000, 10, 5);
        assertEquals(13, w.width());
        assertEquals(10, w.height());
        assertEquals(493, w.x());
        assertEquals(0, w.y());
    }

    @Test
    void aFlipMirrorsTheSameWindowAndOutputsAreDeterministicInZeroOne() {
        ImageAugmentation train = ImageAugmentation.training(48);
        DecodedImage image = TestImages.expected(TestImages.pattern(131, 77, 8));
        CropWindow w = new CropWindow(10, 5, 90, 60, false);
        CropWindow mirrored = new CropWindow(10, 5, 90, 60, true);
        float[] a = new float[train.outputLength()];
        float[] b = new float[train.outputLength()];
        train.apply(image, w, a, 0);
        train.apply(image, mirrored, b, 0);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 48; x++) {
                    assertEquals(at(a, 48, c, x, y), at(b, 48, c, 47 - x, y));
                }
            }
        }
        float[] once = train.apply(image, 17);
        assertArrayEquals(once, train.apply(image, 17));
        assertFalse(java.util.Arrays.equals(once, train.apply(image, 18)));
        for (float v : once) {
            assertTrue(v >= 0 && v <= 1);
        }
        assertTrue(ImageAugmentation.exampleSeed(1, 0, 5) != ImageAugmentation.exampleSeed(1, 0, 6));
        assertTrue(ImageAugmentation.exampleSeed(1, 0, 5) != ImageAugmentation.exampleSeed(1, 1, 5));
    }

    @Test
    void shardRecordsBecomeAMinibatch() {
        List<ShardRecord> records = List.of(
                new ShardRecord(2, "a.JPEG", TestImages.jpeg(TestImages.pattern(90, 60, 1))),
                new ShardRecord(0, "b.JPEG", TestImages.jpeg(TestImages.grayPattern(40, 100, 2))));
        DataSet batch = ImageBatches.batch("test.shard", records, new long[]{1, 2}, ImageAugmentation.training(32), 3,
                DataType.FLOAT);
        assertArrayEquals(new long[]{2, 3, 32, 32}, batch.getFeatures().shape());
        assertArrayEquals(new float[]{0, 0, 1, 1, 0, 0}, batch.getLabels().data().asFloat());
        assertTrue(batch.getFeatures().minNumber().doubleValue() >= 0);
        assertTrue(batch.getFeatures().maxNumber().doubleValue() <= 1);
        // The gray image stays gray through resampling.
        float[] gray = batch.getFeatures().slice(1).dup().data().asFloat();
        for (int i = 0; i < 32 * 32; i++) {
            assertEquals(gray[i], gray[i + 32 * 32], 1e-6);
        }
    }
}
