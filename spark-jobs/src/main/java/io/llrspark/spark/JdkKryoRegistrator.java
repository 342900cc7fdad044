package io.llrspark.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo for the JDK types Spark's Kryo (4.0) predates, which it would otherwise fail on at run time: records (its field
 * serializer needs Unsafe field offsets, which the JDK refuses for records: the evaluation broadcasts and collects
 * records) and the immutable collections of List.of, Set.of, Map.of and Stream.toList (it would rebuild one empty and
 * then add to it). These go through Java serialization inside Kryo, which rebuilds records through their canonical
 * constructor and immutable collections through their serial proxies. Named after ND4J's registrator in
 * spark.kryo.registrator (submit/lib.sh).
 */
public final class JdkKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        // A default serializer covers every subclass of the type it is added for.
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
        kryo.addDefaultSerializer(jdkClass("java.util.ImmutableCollections$AbstractImmutableCollection"),
                JavaSerializer.class);
        kryo.addDefaultSerializer(jdkClass("java.util.ImmutableCollections$AbstractImmutableMap"),
                JavaSerializer.class);
    }

    private static Class<?> jdkClass(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this JDK has no " + name, e);
        }
    }
}
