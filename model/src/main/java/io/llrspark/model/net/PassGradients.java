package io.llrspark.model.net;

/**
 * Shared by a network and its layers: which gradients the current backward pass must produce. Attack steps and inner
 * maximizations need only the input gradient (a convolution's input gradient alone costs well under half of its full
 * backward pass); the weight passes of the objectives need no input gradient, which the layers that read the network's
 * input then skip.
 */
public final class PassGradients {
    private boolean weights = true;
    private boolean input = true;

    public boolean weights() {
        return weights;
    }

    /** Whether the gradient with respect to the network's input is wanted (only its first layers ask). */
    public boolean input() {
        return input;
    }

    public void want(boolean weights, boolean input) {
        this.weights = weights;
        this.input = input;
    }
}
