package io.llrspark.model.net.layers;

import io.llrspark.model.net.kernels.VectorSoftPlus;
import io.llrspark.model.net.kernels.VectorSupport;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * softplus(x) = log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|), with derivative sigmoid(x). ND4J's own softplus
 * computes eˣ directly: in float it returns ∞ above x ≈ 88 and its backward pass NaN, which silently destroys a
 * network's parameters once any pre-activation gets that large (seen within 80 steps on Fashion-MNIST with a
 * smaller output initialization). Equal to ND4J's below that, up to float rounding.
 */
public class StableSoftPlus extends BaseActivationFunction {

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        if (VectorSupport.applicable(in)) {
            VectorSoftPlus.forward(in, in);
            return in;
        }
        INDArray tail = Transforms.log(Transforms.exp(Transforms.abs(in, true).negi(), false).addi(1.0), false);
        return Transforms.relu(in, false).addi(tail);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        if (VectorSupport.applicable(in, epsilon)) {
            VectorSoftPlus.backward(in, epsilon, in);
            return new Pair<>(in, null);
        }
        INDArray dLdz = Transforms.sigmoid(in, false).muli(epsilon);
        return new Pair<>(dLdz, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StableSoftPlus;
    }

    @Override
    public int hashCode() {
        return StableSoftPlus.class.hashCode();
    }

    @Override
    public String toString() {
        return "softplus";
    }
}
