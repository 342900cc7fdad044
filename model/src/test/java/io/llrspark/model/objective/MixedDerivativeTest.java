package io.llrspark.model.objective;

import io.llrspark.model.TestNetworks;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.perturb.LinfBall;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Σᵢ kᵢ∇θ(δᵢᵀ∇ₓℓᵢ) from the x ± hδ pair, in float32 at the default h, against its closed form for softmax regression:
 * with p = softmax(xW + b) and u = Wᵀδ, ∇_W D = δ(p − y)ᵀ + x(p ⊙ (u − pᵀu))ᵀ and ∇_b D = p ⊙ (u − pᵀu).
 */
class MixedDerivativeTest {

    @Test
    void finiteDifferenceMatchesClosedFormInFloat32() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        int n = 32, d = 40, c = 10;
        Nd4j.getRandom().setSeed(5);
        INDArray w = Nd4j.rand(DataType.DOUBLE, d, c).subi(0.5).muli(2);
        INDArray b = Nd4j.rand(DataType.DOUBLE, c).subi(0.5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, d);
        INDArray y = TestNetworks.oneHot(n, c, DataType.DOUBLE, 4);
        INDArray delta = LinfBall.uniformStart(x, 0.1, new SplittableRandom(6));
        INDArray k = Nd4j.rand(DataType.DOUBLE, n).subi(0.5).muli(8);

        INDArray[] exact = closedForm(w, b, x, y, delta, k);
        ClassifierNetwork net = TestNetworks.softmaxRegression(w.castTo(DataType.FLOAT), b.castTo(DataType.FLOAT));
        for (double h : new double[]{1.0, 0.3, 0.1, 0.05, 0.01, 1e-3, 1e-4}) {
            double[] e = relativeErrors(net, x, y, delta, k, h, exact);
            System.out.printf("h=%g relative error W=%.2e b=%.2e%n", h, e[0], e[1]);
        }
        double[] errors = relativeErrors(net, x, y, delta, k, LlrDefaults.H, exact);
        double errW = errors[0];
        double errB = errors[1];
        assertTrue(errW < 1e-2, "relative error on W: " + errW);
        assertTrue(errB < 1e-2, "relative error on b: " + errB);
    }

    static double[] relativeErrors(ClassifierNetwork net, INDArray x, INDArray y, INDArray delta, INDArray k, double h,
                                   INDArray[] exact) {
        INDArray estimate = MixedDerivative.pass(net, x.castTo(DataType.FLOAT), y.castTo(DataType.FLOAT),
                delta.castTo(DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, x.size(0)), k.castTo(DataType.FLOAT), h,
                BatchStatistics.LIVE).paramGradient();
        // Map the flat estimate onto W and b through the network's own parameter views.
        INDArray saved = net.params().dup();
        net.setParams(estimate);
        INDArray estW = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE);
        INDArray estB = net.getLayer(0).getParam("b").castTo(DataType.DOUBLE).reshape(-1);
        net.setParams(saved);
        return new double[]{
                estW.sub(exact[0]).norm2Number().doubleValue() / exact[0].norm2Number().doubleValue(),
                estB.sub(exact[1]).norm2Number().doubleValue() / exact[1].norm2Number().doubleValue()};
    }

    static INDArray[] closedForm(INDArray w, INDArray b, INDArray x, INDArray y, INDArray delta, INDArray k) {
        INDArray gradW = Nd4j.zeros(DataType.DOUBLE, w.shape());
        INDArray gradB = Nd4j.zeros(DataType.DOUBLE, b.length());
        for (int i = 0; i < x.size(0); i++) {
            INDArray xi = x.getRow(i).reshape(1, -1);
            INDArray di = delta.getRow(i).reshape(1, -1);
            INDArray p = Transforms.softmax(xi.mmul(w).addi(b.reshape(1, -1)), true);
            INDArray u = di.mmul(w);
            INDArray q = p.mul(u.sub(p.mul(u).sumNumber().doubleValue()));
            double ki = k.getDouble(i);
            gradW.addi(di.transpose().mmul(p.sub(y.getRow(i).reshape(1, -1))).addi(xi.transpose().mmul(q)).muli(ki));
            gradB.addi(q.reshape(-1).mul(ki));
        }
        return new INDArray[]{gradW, gradB};
    }
}
