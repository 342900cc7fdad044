package io.llrspark.model.attack;

import io.llrspark.model.net.SoftmaxCrossEntropyLoss;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
     * The pixels quantized to quarters, whose derivative is zero wherever it exists: the obfuscating first layer of
     * the textbook, where every gradient attack sees a flat loss.
     */
    static final class Quarters extends BaseActivationFunction {
        @Override
        public INDArray getActivation(INDArray in, boolean training) {
            return in.assign(Transforms.round(in.mul(4), false).divi(4));
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            return new Pair<>(epsilon.assign(0), null);
        }

        @Override
        public String toString() {
            return "quarters";
        }
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
        ClassifierNetwork net = quantizingModel();
        INDArray x = Nd4j.valueArrayOf(new long[]{n, 1, 4, 4}, 0.45, DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        y.getColumn(0).assign(1);
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
        ClassifierNetwork net = quantizingModel();
        INDArray x = Nd4j.valueArrayOf(new long[]{3, 1, 4, 4}, 0.45, DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 3, 2);
        y.getColumn(0).assign(1);
        AttackResult r = new SquareAttack(new SquareAttack.Settings(10, 0.8, 1)).run(net, x, y, 0, 5);
        assertEquals(0, r.adversarial().sub(x).amaxNumber().doubleValue());
    }

    private static void assertInBallAndBox(INDArray adversarial, INDArray x) {
        assertTrue(adversarial.sub(x).amaxNumber().doubleValue() <= EPS + 1e-6, "left the ball");
        assertTrue(adversarial.minNumber().doubleValue() >= 0 && adversarial.maxNumber().doubleValue() <= 1,
                "left the box");
    }

    private static ClassifierNetwork quantizingModel() {
        // The quantizer as the activation of an identity dense layer: activations work in place, on the layer's own
        // output (an activation layer first in the network would be handed the network's input itself).
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nOut(16).activation(new Quarters()).build())
                .layer(new OutputLayer.Builder(new SoftmaxCrossEntropyLoss()).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(4, 4, 1))
                .build();
        ClassifierNetwork net = new ClassifierNetwork(conf);
        net.init();
        INDArray w = Nd4j.zeros(DataType.FLOAT, 16, 2);
        w.getColumn(1).assign(-1);
        net.getLayer(0).getParam("W").assign(Nd4j.eye(16).castTo(DataType.FLOAT));
        net.getLayer(0).getParam("b").assign(0);
        net.getLayer(1).getParam("W").assign(w);
        net.getLayer(1).getParam("b").assign(Nd4j.createFromArray(0f, 5.1f).reshape(1, 2));
        return net;
    }
}
