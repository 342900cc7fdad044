package io.llrspark.model.attack;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Square finds what gradient attacks cannot where a model's input gradient is zero. */
class SquareAttackTest {
    private static final double EPS = 0.1;

    @BeforeEach
    void precision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /**
     * 4×4 images of 0.45 (quantized to 0.5) and z1 − z0 = 5.1 − Σ q(x): class 0 until at least 12 of the 16 pixels
     * drop to 0.25, which a pixel does when moved down by more than 0.075 of the allowed 0.1. A random start drops a
     * pixel with probability 1/8, so PGD's and APGD's starts (and their zero gradients, which never move them) leave
     * every example robust, while Square's first whole-image square with a negative sign breaks it.
     */
    @Test
    void squareBreaksAModelWithZeroGradientsThatGradientAttacksCannot() {
        int n = 20;
        ClassifierNetwork net = TestNetworks.quantizing();
        INDArray x = TestNetworks.quantizingInputs(n);
        INDArray y = TestNetworks.quantizingLabels(n);
        assertEquals(0, PgdSearch.evaluate(net, x, y).successes(), "clean inputs are classified correctly");

        AttackResult square = new SquareAttack(new SquareAttack.Settings(100, 0.8, 1)).run(net, x, y, EPS, 5);
        assertEquals(n, square.successes(), "Square breaks every example");
        assertInBallAndBox(square.adversarial(), x);

        int pgd = new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, new PgdSearch(20, 2.5, 2)).run(net, x, y, EPS, 5)
                .successes();
        int apgd = new ApgdAttack(ApgdAttack.Loss.CROSS_ENTROPY, new ApgdSearch(20, 2)).run(net, x, y, EPS, 5)
                .successes();
        assertTrue(pgd <= 1 && apgd <= 1, "gradient attacks see no gradient: PGD broke " + pgd + ", APGD " + apgd);
    }

    @Test
    void anEpsilonOfZeroLeavesTheInputs() {
        ClassifierNetwork net = TestNetworks.quantizing();
        INDArray x = TestNetworks.quantizingInputs(3);
        INDArray y = TestNetworks.quantizingLabels(3);
        AttackResult r = new SquareAttack(new SquareAttack.Settings(10, 0.8, 1)).run(net, x, y, 0, 5);
        assertEquals(0, r.adversarial().sub(x).amaxNumber().doubleValue());
    }

    private static void assertInBallAndBox(INDArray adversarial, INDArray x) {
        assertTrue(adversarial.sub(x).amaxNumber().doubleValue() <= EPS + 1e-6, "left the ball");
        assertTrue(adversarial.minNumber().doubleValue() >= 0 && adversarial.maxNumber().doubleValue() <= 1,
                "left the box");
    }
}
