package io.llrspark.model.net.dl4j;

import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A residual graph's input gradient (what every attack and LLR's inner search climb) against central finite
 * differences of the summed cross-entropy, with its activation gradients in workspaces: the gradient leaves through
 * the input boundary intact, and a second pass, reusing the workspaces, gives the same one.
 */
class GraphInputGradientTest {
    private static DataType previous;

    @BeforeAll
    static void doublePrecision() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    @ParameterizedTest
    @EnumSource(value = BatchStatistics.class, names = {"LIVE", "MOVING_AVERAGE"})
    void inputGradientMatchesFiniteDifferences(BatchStatistics statistics) {
        Classifier net = NetworkFactory.build(new NetworkSpec(NetworkFactory.SMALL_RESNET, "softplus", 2, 6, 6, 3,
                DataType.DOUBLE, 3, 1e-3));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6);
        INDArray y = Nd4j.eye(3).castTo(DataType.DOUBLE);
        INDArray grad = net.inputPass(x, LogitGradients.crossEntropy(y), statistics).inputGradient();
        INDArray again = net.pass(x, LogitGradients.crossEntropy(y), statistics).inputGradient();
        assertEquals(0.0, grad.sub(again).amaxNumber().doubleValue(), 1e-12, "a second pass, the same gradient");
        Random pick = new Random(5);
        double h = 1e-5;
        for (int k = 0; k < 12; k++) {
            long[] at = {pick.nextInt(3), pick.nextInt(2), pick.nextInt(6), pick.nextInt(6)};
            double v = x.getDouble(at);
            x.putScalar(at, v + h);
            double up = ce(net, x, y, statistics);
            x.putScalar(at, v - h);
            double down = ce(net, x, y, statistics);
            x.putScalar(at, v);
            double fd = (up - down) / (2 * h);
            assertTrue(Math.abs(fd - grad.getDouble(at)) < 1e-6 + 1e-4 * Math.abs(fd),
                    "at " + java.util.Arrays.toString(at) + ": analytic " + grad.getDouble(at) + ", finite difference " + fd);
        }
    }

    private static double ce(Classifier net, INDArray x, INDArray y, BatchStatistics statistics) {
        return LogitGradients.crossEntropyValues(net.logits(x, statistics), y).sumNumber().doubleValue();
    }
}
