package io.llrspark.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gives the backend's array class {@link ArrayKryoSerializer}. Listed after ND4J's registrator in
 * spark.kryo.registrator (submit/lib.sh), whose registration of the same class it replaces.
 */
public final class ArrayKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new ArrayKryoSerializer());
    }
}
