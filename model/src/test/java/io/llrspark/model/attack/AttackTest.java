package io.llrspark.model.attack;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.perturb.LinfBall;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttackTest {
    private static final double EPS = 0.1;

    @BeforeEach
    void precision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    /**
     * For a two-class linear model the margin is linear in x with gradient c = w_wrong − w_true, so the optimum over the
     * ball and box is δ* = clip(x + ε·sign(c), 0, 1) − x. PGD on either loss, APGD and FGSM must land on it exactly.
     */
    @Test
    void pgdReachesTheKnownOptimumOfALinearClassifier() {
        int d = 12, n = 16;
        Nd4j.getRandom().setSeed(1);
        INDArray w = Nd4j.rand(DataType.FLOAT, d, 2).subi(0.5f);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, d);
        x.getColumn(0).assign(0.02);   // near the box's lower edge
        x.getColumn(1).assign(0.97);   // near its upper edge
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        y.getColumn(0).assign(1);
        ClassifierNetwork net = TestNetworks.softmaxRegression(w, Nd4j.zeros(DataType.FLOAT, 2));
        INDArray c = w.getColumn(1).sub(w.getColumn(0)).reshape(1, d);
        INDArray optimum = x.add(Transforms.sign(c, true).muli(EPS).broadcast(n, d));
        optimum = Transforms.max(Transforms.min(optimum, 1.0, false), 0.0, false);

        // APGD's first step (2ε from its start) already lands on the corner, and its later ones stay there; FGSM's one
        // step of ε along the gradient's sign is the corner.
        for (Attack attack : List.of(new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, new PgdSearch(20, 2.5, 3)),
                new PgdAttack(PgdAttack.Loss.MARGIN, new PgdSearch(20, 2.5, 3)),
                new ApgdAttack(ApgdAttack.Loss.CROSS_ENTROPY, new ApgdSearch(20, 1)), new FgsmAttack())) {
            AttackResult r = attack.run(net, x, y, EPS, 42);
            double err = r.adversarial().sub(optimum).amaxNumber().doubleValue();
            assertTrue(err < 1e-5, attack.name() + ": distance to the optimum " + err);
        }
    }

    @Test
    void everyAttackStaysInTheBallAndTheBox() {
        Classifier net = TestNetworks.build(NetworkFactory.SMALL_CNN, 8, DataType.FLOAT, 5);
        INDArray x = TestNetworks.images(12, 8, DataType.FLOAT, 6);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(0);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).assign(1);
        INDArray y = TestNetworks.oneHot(12, 10, DataType.FLOAT, 7);
        List<Attack> attacks = List.of(
                new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, new PgdSearch(5, 2.5, 2)),
                new PgdAttack(PgdAttack.Loss.MARGIN, new PgdSearch(5, 2.5, 2)),
                new MultiTargetedAttack(new PgdSearch(3, 2.5, 1)),
                new RandomTargetedAttack(new PgdSearch(5, 2.5, 1)),
                new ApgdAttack(ApgdAttack.Loss.CROSS_ENTROPY, new ApgdSearch(8, 2)),
                new ApgdAttack(ApgdAttack.Loss.DLR, new ApgdSearch(8, 1)),
                new ApgdTargetedAttack(new ApgdSearch(4, 1), 3),
                new SquareAttack(new SquareAttack.Settings(30, 0.8, 2)),
                new FgsmAttack(),
                new RandomNoiseAttack(new RandomNoiseAttack.Settings(3)));
        for (Attack attack : attacks) {
            for (double eps : new double[]{0.03, 0.3}) {
                AttackResult r = attack.run(net, x, y, eps, 9);
                INDArray delta = r.adversarial().sub(x);
                assertTrue(LinfBall.linfNorms(delta).maxNumber().doubleValue() <= eps + 1e-6, attack.name() + " left the ball");
                assertTrue(r.adversarial().minNumber().doubleValue() >= 0, attack.name() + " went below 0");
                assertTrue(r.adversarial().maxNumber().doubleValue() <= 1, attack.name() + " went above 1");
                assertEquals(12, r.size());
            }
        }
    }

    /**
     * A linear model where untargeted PGD is misled: class 1 is reachable only along v1, while nine unreachable
     * distractor classes, whose logits start higher (margin loss) and whose gradients add up (cross-entropy), pull
     * the other way. Targeting class 1 (multi-targeted PGD, APGD-T) finds the optimum; the untargeted attacks mostly
     * do not.
     */
    @Test
    void multiTargetedIsStrongerThanUntargetedWhereTheyDiffer() {
        int n = 40, classes = 10;
        INDArray w = Nd4j.zeros(DataType.FLOAT, 2, classes);
        INDArray b = Nd4j.zeros(DataType.FLOAT, classes);
        w.putScalar(0, 1, 2.0);
        w.putScalar(1, 1, -2.0);
        b.putScalar(1, -0.35);
        for (int j = 2; j < classes; j++) {
            w.putScalar(0, j, -0.2);
            w.putScalar(1, j, 0.2);
            b.putScalar(j, -0.05);
        }
        ClassifierNetwork net = TestNetworks.softmaxRegression(w, b);
        INDArray x = Nd4j.valueArrayOf(new long[]{n, 2}, 0.5, DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        y.getColumn(0).assign(1);

        int multi = new MultiTargetedAttack(new PgdSearch(10, 2.5, 1)).run(net, x, y, EPS, 3).successes();
        int ce = new PgdAttack(PgdAttack.Loss.CROSS_ENTROPY, new PgdSearch(10, 2.5, 1)).run(net, x, y, EPS, 3).successes();
        int margin = new PgdAttack(PgdAttack.Loss.MARGIN, new PgdSearch(10, 2.5, 1)).run(net, x, y, EPS, 3).successes();
        assertEquals(n, multi, "multi-targeted must find the reachable class for every example");
        assertEquals(n, new ApgdTargetedAttack(new ApgdSearch(20, 1), 9).run(net, x, y, EPS, 3).successes(),
                "APGD-T, targeting the classes by clean logit, must find it too");
        assertTrue(ce < n && margin < n, "the model should mislead untargeted PGD: ce=" + ce + " margin=" + margin);
        assertTrue(multi >= Math.max(ce, margin));
    }

    @Test
    void worstCaseTakesTheLargerMarginPerExample() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, 2);
        AttackResult a = new AttackResult(x.add(1), Nd4j.createFromArray(1f, -2f, 0.5f));
        AttackResult b = new AttackResult(x.add(2), Nd4j.createFromArray(-1f, -1f, 3f));
        AttackResult w = WorstCase.combine(a, b);
        assertEquals(1f, w.margins().getFloat(0));
        assertEquals(-1f, w.margins().getFloat(1));
        assertEquals(3f, w.margins().getFloat(2));
        assertEquals(1f, w.adversarial().getFloat(0, 0));
        assertEquals(2f, w.adversarial().getFloat(1, 0));
        assertEquals(2, w.successes());
    }
}
