package io.llrspark.model.data.image;

import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.shard.ShardRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Shard records to a minibatch: decode, augment, stack as [n, 3, size, size] in [0, 1] with one-hot labels. */
public final class ImageBatches {
    private ImageBatches() {
    }

    /**
     * @param seeds one per record ({@link ImageAugmentation#exampleSeed}); evaluation ignores them
     * @param shard names the shard in the error if a record does not decode (preparation let only decodable
     *              images through, so that means the shard is not what prepare-data wrote)
     */
    public static DataSet batch(String shard, List<ShardRecord> records, long[] seeds, ImageAugmentation augmentation,
                                int classes, DataType type) {
        if (seeds.length != records.size()) {
            throw new IllegalArgumentException(records.size() + " records but " + seeds.length + " seeds");
        }
        int per = augmentation.outputLength();
        float[] features = new float[records.size() * per];
        float[] oneHot = new float[records.size() * classes];
        for (int i = 0; i < records.size(); i++) {
            ShardRecord r = records.get(i);
            if (r.label() < 0 || r.label() >= classes) {
                throw new DataFormatException(shard, r.name() + ": label " + r.label() + " outside [0, " + classes + ")");
            }
            DecodedImage image;
            try {
                image = ImageDecoder.decode(r.bytes());
            } catch (UndecodableImageException e) {
                throw new DataFormatException(shard, r.name() + " does not decode: " + e.getMessage(), e);
            }
            augmentation.apply(image, seeds[i], features, i * per);
            oneHot[i * classes + r.label()] = 1f;
        }
        int s = augmentation.size();
        return new DataSet(Nd4j.create(features, new long[]{records.size(), 3, s, s}, 'c').castTo(type),
                Nd4j.create(oneHot, new long[]{records.size(), classes}, 'c').castTo(type));
    }
}
