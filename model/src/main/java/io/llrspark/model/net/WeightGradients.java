package io.llrspark.model.net;

/**
 * Shared by a network and its layers: whether the current backward pass must produce weight gradients. Attack steps
 * and inner maximizations need only the input gradient, and a convolution's input gradient alone costs well under half
 * of its full backward pass.
 */
public final class WeightGradients {
    private boolean wanted = true;

    public boolean wanted() {
        return wanted;
    }

    void want(boolean wanted) {
        this.wanted = wanted;
    }
}
