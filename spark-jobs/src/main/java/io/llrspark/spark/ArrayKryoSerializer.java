package io.llrspark.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kryo for ND4J arrays as their raw bytes, copied in blocks. ND4J's own serializer writes an array value by value
 * through a DataOutputStream over Kryo's stream, byte by byte: at every parameter-averaging round the parameters and
 * the updater state crossed it four times (broadcast out and in, results out and in), a third of a round on
 * SmallCNN. Arrays are written in C order with their type, shape and the writer's byte order (a reader with another
 * byte order refuses them rather than misreading them).
 */
public final class ArrayKryoSerializer extends Serializer<INDArray> {
    private static final int BLOCK = 1 << 16;

    @Override
    public void write(Kryo kryo, Output out, INDArray array) {
        // A GPU array's current values may be on the device only.
        Nd4j.getAffinityManager().ensureLocation(array, AffinityManager.Location.HOST);
        out.writeString(array.dataType().name());
        out.writeBoolean(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        long[] shape = array.shape();
        out.writeInt(shape.length);
        for (long size : shape) {
            out.writeLong(size);
        }
        if (array.isEmpty()) {
            return;
        }
        INDArray plain = array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array)
                && array.offset() + array.length() <= array.data().length() ? array : array.dup('c');
        int width = plain.dataType().width();
        ByteBuffer bytes = plain.data().asNio().duplicate();
        bytes.position((int) (plain.offset() * width));
        inBlocks(plain.length() * width, (block, n) -> {
            bytes.get(block, 0, n);
            out.writeBytes(block, 0, n);
        });
    }

    @Override
    public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
        DataType dataType = DataType.valueOf(in.readString());
        boolean littleEndian = in.readBoolean();
        if (littleEndian != (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN)) {
            throw new IllegalStateException("an array serialized with " + (littleEndian ? "little" : "big")
                    + "-endian bytes cannot be read on this " + ByteOrder.nativeOrder() + " machine");
        }
        long[] shape = new long[in.readInt()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.readLong();
        }
        INDArray array = Nd4j.createUninitializedDetached(dataType, shape);
        if (array.isEmpty()) {
            return array;
        }
        ByteBuffer bytes = array.data().asNio().duplicate();
        bytes.position(0);
        inBlocks(array.length() * dataType.width(), (block, n) -> {
            in.readBytes(block, 0, n);
            bytes.put(block, 0, n);
        });
        // The values were written on the host: a GPU array must copy them to the device before use.
        Nd4j.getAffinityManager().tagLocation(array, AffinityManager.Location.HOST);
        return array;
    }

    private interface BlockCopy {
        void copy(byte[] block, int length);
    }

    /** Moves {@code bytes} bytes through one reused block of at most {@link #BLOCK} bytes. */
    private static void inBlocks(long bytes, BlockCopy step) {
        byte[] block = new byte[(int) Math.min(BLOCK, bytes)];
        for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(block.length, left);
            step.copy(block, n);
            left -= n;
        }
    }
}
