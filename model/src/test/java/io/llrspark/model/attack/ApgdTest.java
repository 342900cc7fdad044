package io.llrspark.model.attack;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The DLR losses APGD ascends (APGD on linear models with known answers: AttackTest). */
class ApgdTest {
    private static final double EPS = 0.1;

    @BeforeEach
    void precision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @Test
    void dlrLossesHaveTheirHandComputedValues() {
        INDArray logits = Nd4j.createFromArray(new double[][]{{3, 1, 2, 0}, {3, 1, 2, 0}, {0.5, 4, 1, 3}});
        INDArray y = Nd4j.createFromArray(new double[][]{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 0}});
        // y = 0: −(3 − 2)/(3 − 1); y = 1 (misclassified): −(1 − 3)/(3 − 1); y = 1 on top: −(4 − 3)/(4 − 1)
        assertArrayClose(new double[]{-0.5, 1.0, -1.0 / 3}, DlrLoss.untargeted(y).values(logits).toDoubleVector());
        // targets 3, 2, 0: −(z_y − z_t)/(z_π1 − (z_π3 + z_π4)/2)
        INDArray targeted = DlrLoss.targeted(y, new int[]{3, 2, 0}).values(logits);
        assertArrayClose(new double[]{-3 / 2.5, -(1 - 2) / 2.5, -(4 - 0.5) / (4 - 0.75)}, targeted.toDoubleVector());
    }

    /** The DLR gradients against central differences of their values, on random logits (ties have probability 0). */
    @Test
    void dlrGradientsMatchFiniteDifferences() {
        Random random = new Random(3);
        int n = 6, classes = 7;
        double[][] z = new double[n][classes];
        int[] labels = new int[n];
        int[] targets = new int[n];
        INDArray y = Nd4j.zeros(DataType.DOUBLE, n, classes);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                z[i][c] = random.nextGaussian() * 2;
            }
            labels[i] = random.nextInt(classes);
            targets[i] = (labels[i] + 1 + random.nextInt(classes - 1)) % classes;
            y.putScalar(i, labels[i], 1);
        }
        for (DlrLoss loss : new DlrLoss[]{DlrLoss.untargeted(y), DlrLoss.targeted(y, targets)}) {
            INDArray logits = Nd4j.createFromArray(z);
            INDArray g = loss.of(logits);
            double h = 1e-6;
            for (int i = 0; i < n; i++) {
                assertEquals(0, g.getRow(i).sumNumber().doubleValue(), 1e-9, "a logit gradient's row sums to zero");
                for (int c = 0; c < classes; c++) {
                    INDArray plus = logits.dup();
                    INDArray minus = logits.dup();
                    plus.putScalar(i, c, z[i][c] + h);
                    minus.putScalar(i, c, z[i][c] - h);
                    double numeric = (loss.values(plus).getDouble(i) - loss.values(minus).getDouble(i)) / (2 * h);
                    assertEquals(numeric, g.getDouble(i, c), 1e-6, "row " + i + " class " + c);
                }
            }
        }
    }

    private static void assertArrayClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9, "element " + i);
        }
    }
}
