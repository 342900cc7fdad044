package io.llrspark.spark;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.eval.ExampleOutcome;
import io.llrspark.model.eval.StageCost;
import io.llrspark.model.verdict.ProbeOutcome;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Kryo with ND4J's registrator and ours, as the launchers configure Spark: arrays (views, every layout, empty and
 * multi-block ones included) and DataSets come back exactly, through Spark's own serializer and through a job's tasks.
 */
class KryoSerializationTest {
    private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

    private static SparkConf conf() {
        return KryoSettings.on(new SparkConf().setMaster("local[2]").setAppName("kryo-serialization-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    private static Object roundTrip(Object value) {
        SerializerInstance kryo = new KryoSerializer(conf()).newInstance();
        ByteBuffer bytes = kryo.serialize(value, ANY);
        return kryo.deserialize(bytes, ANY);
    }

    /** Same type, shape and every value, compared in logical (C) order, whatever the layout of either array. */
    private static void assertSameArray(INDArray expected, INDArray actual) {
        assertNotNull(actual);
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.dup('c').data().asDouble(), actual.dup('c').data().asDouble());
    }

    /** Uniform in [-0.5, 0.5): signs and fractions a lossy or truncating serializer would get wrong. */
    private static INDArray floats(long... shape) {
        return Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
    }

    static Stream<Arguments> arrays() {
        INDArray matrix = floats(6, 5);
        INDArray image = floats(4, 1, 7, 7);
        return Stream.of(
                Arguments.of("float matrix", matrix),
                Arguments.of("float NCHW batch", image),
                Arguments.of("double", Nd4j.rand(DataType.DOUBLE, 3, 4)),
                Arguments.of("int", Nd4j.createFromArray(3, 1, 4, 1, 5, 9, 2, 6).reshape(2, 4)),
                Arguments.of("float scalar", Nd4j.scalar(2.5f)),
                Arguments.of("transposed view", matrix.transpose()),
                Arguments.of("column range view", matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4))),
                Arguments.of("strided row view", matrix.get(NDArrayIndex.interval(1, 2, 6), NDArrayIndex.all())),
                Arguments.of("image crop view", image.get(NDArrayIndex.point(2), NDArrayIndex.all(),
                        NDArrayIndex.interval(2, 5), NDArrayIndex.interval(1, 6))),
                Arguments.of("fortran order", Nd4j.rand(DataType.FLOAT, 'f', 3, 4)),
                Arguments.of("long", Nd4j.createFromArray(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE)),
                Arguments.of("half", floats(3, 5).castTo(DataType.HALF)),
                Arguments.of("empty", Nd4j.create(DataType.FLOAT, 0, 3)),
                Arguments.of("long vector past one copy block", floats(70_001)));
    }

    /**
     * Without a registrator Kryo would take an INDArray apart field by field, off-heap pointer included; ours replaces
     * ND4J's value-by-value serializer with block copies.
     */
    @Test
    void arraysGetOurSerializer() {
        INDArray array = Nd4j.zeros(DataType.FLOAT, 2);
        assertInstanceOf(ArrayKryoSerializer.class, new KryoSerializer(conf()).newKryo().getSerializer(array.getClass()));
    }

    /** Exactly 4 bytes a value and a small header: nothing is written value by value. */
    @Test
    void aMillionFloatsTakeTheirBytes() {
        INDArray big = floats(1000, 1000);
        SerializerInstance kryo = new KryoSerializer(conf()).newInstance();
        ByteBuffer bytes = kryo.serialize(big, ANY);
        assertEquals(4_000_000, bytes.remaining(), 64);
        assertSameArray(big, (INDArray) kryo.deserialize(bytes, ANY));
    }

    // The views share their bases' buffers: JUnit must not close an argument while a later one still uses it.
    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("arrays")
    void arraysComeBackExactly(String name, INDArray array) {
        INDArray expected = array.dup();
        INDArray back = (INDArray) roundTrip(array);
        assertSameArray(expected, back);
        // A copy, not the same buffer: changing it leaves the original alone.
        back.assign(-7);
        assertSameArray(expected, array);
    }

    @Test
    void aDataSetComesBackWithFeaturesLabelsAndMasks() {
        INDArray features = floats(5, 1, 6, 6);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 5, 10);
        for (int i = 0; i < 5; i++) {
            labels.putScalar(i, (i * 3) % 10, 1f);
        }
        INDArray labelsMask = Nd4j.createFromArray(1f, 1f, 0f, 1f, 0f).reshape(5, 1);
        DataSet data = new DataSet(features, labels, null, labelsMask);

        DataSet back = (DataSet) roundTrip(data);
        assertSameArray(features, back.getFeatures());
        assertSameArray(labels, back.getLabels());
        assertSameArray(labelsMask, back.getLabelsMaskArray());
        assertNull(back.getFeaturesMaskArray());

        // A slice of a batch, as a worker's share of a minibatch is: views all the way down.
        DataSet slice = new DataSet(features.get(NDArrayIndex.interval(1, 4)), labels.get(NDArrayIndex.interval(1, 4)));
        DataSet sliceBack = (DataSet) roundTrip(slice);
        assertSameArray(features.get(NDArrayIndex.interval(1, 4)).dup(), sliceBack.getFeatures());
        assertSameArray(labels.get(NDArrayIndex.interval(1, 4)).dup(), sliceBack.getLabels());
    }

    /** The records the evaluation broadcasts (the checkpoint) and collects (one outcome per example). */
    @Test
    void recordsComeBack() {
        CheckpointStore.Blob blob = new CheckpointStore.Blob("file:/runs/r/checkpoints/epoch-1", new byte[]{1, 2, 3},
                true);
        CheckpointStore.Blob blobBack = (CheckpointStore.Blob) roundTrip(blob);
        assertEquals(blob.path(), blobBack.path());
        assertArrayEquals(blob.modelZip(), blobBack.modelZip());
        assertEquals(blob.graph(), blobBack.graph());

        ExampleOutcome outcome = new ExampleOutcome(7, 3, true, new boolean[][]{{false, true}, {true, true}},
                new boolean[]{true, true}, new double[]{0.5, Double.NaN},
                new StageCost[][]{{new StageCost(0.25, 120, 100), StageCost.NONE}, {StageCost.NONE, StageCost.NONE}},
                new ProbeOutcome(true, new boolean[][]{{false, true, false, false, true, false}}, new boolean[]{false, true},
                        false, new double[][]{{0.5, 0.75}, {1.0, 1.25}}), new StageCost(1.5, 300, 200));
        ExampleOutcome outcomeBack = (ExampleOutcome) roundTrip(outcome);
        assertEquals(outcome.index(), outcomeBack.index());
        assertEquals(outcome.label(), outcomeBack.label());
        assertEquals(outcome.correct(), outcomeBack.correct());
        assertArrayEquals(outcome.broken(), outcomeBack.broken());
        assertArrayEquals(outcome.brokenWorst(), outcomeBack.brokenWorst());
        assertArrayEquals(outcome.gamma(), outcomeBack.gamma());
        assertArrayEquals(outcome.cost()[0], outcomeBack.cost()[0]);
        assertArrayEquals(outcome.probes().broken(), outcomeBack.probes().broken());
        assertArrayEquals(outcome.probes().ladderBroken(), outcomeBack.probes().ladderBroken());
        assertEquals(outcome.probeCost(), outcomeBack.probeCost());
        assertArrayEquals(outcome.probes().lossSurface(), outcomeBack.probes().lossSurface());
    }

    @Test
    void immutableCollectionsComeBack() {
        List<Object> lists = List.of(List.of(), List.of("a"), List.of("a", "b", "c"), Stream.of(1, 2).toList(),
                Set.of(3, 4), Map.of("k", 5), Map.of());
        for (Object collection : lists) {
            assertEquals(collection, roundTrip(collection));
        }
    }

    /**
     * On an executor: the array scaled by two and a view of the result, so views travel back to the driver too, in an
     * immutable list.
     */
    static final class DoubledWithView implements Function<INDArray, List<INDArray>> {
        @Override
        public List<INDArray> call(INDArray x) {
            INDArray doubled = x.mul(2);
            return List.of(doubled, doubled.get(NDArrayIndex.interval(0, 2, doubled.rows()), NDArrayIndex.all()));
        }
    }

    /** Arrays go to the executors in the tasks' partitions and come back as task results, both through Kryo. */
    @Test
    void aJobShipsArraysToExecutorsAndCollectsThemBack() {
        INDArray matrix = floats(6, 5);
        List<INDArray> inputs = List.of(matrix, matrix.transpose(), matrix.get(NDArrayIndex.all(),
                NDArrayIndex.interval(1, 4)), floats(3, 3), floats(2, 7));
        List<List<INDArray>> results;
        try (JavaSparkContext sc = new JavaSparkContext(conf())) {
            assertInstanceOf(KryoSerializer.class, SparkEnv.get().serializer());
            results = sc.parallelize(inputs, 2).map(new DoubledWithView()).collect();
        }
        assertEquals(inputs.size(), results.size());
        for (int i = 0; i < inputs.size(); i++) {
            INDArray doubled = inputs.get(i).mul(2);
            assertSameArray(doubled, results.get(i).get(0));
            assertSameArray(doubled.get(NDArrayIndex.interval(0, 2, doubled.rows()), NDArrayIndex.all()).dup(),
                    results.get(i).get(1));
        }
    }
}
