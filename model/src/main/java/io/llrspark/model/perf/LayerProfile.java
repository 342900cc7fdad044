package io.llrspark.model.perf;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a forward/backward pass of a layer stack spends its time: each layer's training-mode forward and its backward,
 * timed one layer at a time (without workspaces; a layer's input preprocessor counts with it), averaged over repeats
 * after a warm-up.
 */
public final class LayerProfile {

    public record Row(String layer, double forwardMs, double backwardMs) {
    }

    private LayerProfile() {
    }

    public static List<Row> of(MultiLayerNetwork net, INDArray x, INDArray labels, int repeats) {
        int n = net.getnLayers();
        double[] forward = new double[n];
        double[] backward = new double[n];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int r = -2; r < repeats; r++) {
            // Without workspaces every array is a fresh off-heap allocation that only a GC frees: collect between
            // repeats (untimed), or the profile alone grows the process by gigabytes.
            System.gc();
            INDArray a = x;
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (pre != null) {
                    a = pre.preProcess(a, (int) x.size(0), mgr);
                }
                a = net.getLayer(i).activate(a, true, mgr);
                if (r >= 0) {
                    forward[i] += (System.nanoTime() - start) / 1e6;
                }
            }
            ((IOutputLayer) net.getLayer(n - 1)).setLabels(labels);
            INDArray epsilon = null;
            for (int i = n - 1; i >= 0; i--) {
                long start = System.nanoTime();
                epsilon = net.getLayer(i).backpropGradient(epsilon, mgr).getSecond();
                InputPreProcessor pre = net.getLayerWiseConfigurations().getInputPreProcess(i);
                if (pre != null) {
                    epsilon = pre.backprop(epsilon, (int) x.size(0), mgr);
                }
                if (r >= 0) {
                    backward[i] += (System.nanoTime() - start) / 1e6;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Layer layer = net.getLayer(i);
            rows.add(new Row(i + " " + layer.conf().getLayer().getClass().getSimpleName(),
                    forward[i] / repeats, backward[i] / repeats));
        }
        return rows;
    }

    /**
     * The same for a graph: every vertex in topological order (a layer, an element-wise sum, the input boundary),
     * forward in training mode, backward with the epsilons of its consumers summed as the graph does.
     */
    public static List<Row> of(ComputationGraph net, INDArray x, INDArray labels, int repeats) {
        GraphVertex[] vertices = net.getVertices();
        int[] order = net.topologicalSortOrder();
        double[] forward = new double[vertices.length];
        double[] backward = new double[vertices.length];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int r = -2; r < repeats; r++) {
            // Without workspaces every array is a fresh off-heap allocation that only a GC frees: collect between
            // repeats (untimed), or the profile alone grows the process by gigabytes.
            System.gc();
            INDArray[] out = new INDArray[vertices.length];
            for (int idx : order) {
                GraphVertex v = vertices[idx];
                long start = System.nanoTime();
                if (v.isInputVertex()) {
                    out[idx] = x;
                } else {
                    VertexIndices[] in = v.getInputVertices();
                    for (int j = 0; j < in.length; j++) {
                        v.setInput(j, out[in[j].getVertexIndex()], mgr);
                    }
                    if (v.isOutputVertex()) {
                        ((IOutputLayer) v.getLayer()).setLabels(labels);
                    }
                    out[idx] = v.doForward(true, mgr);
                }
                if (r >= 0) {
                    forward[idx] += (System.nanoTime() - start) / 1e6;
                }
            }
            INDArray[] eps = new INDArray[vertices.length];
            for (int k = order.length - 1; k >= 0; k--) {
                GraphVertex v = vertices[order[k]];
                if (v.isInputVertex()) {
                    continue;
                }
                long start = System.nanoTime();
                v.setEpsilon(eps[order[k]]);
                INDArray[] back = v.doBackward(false, mgr).getSecond();
                VertexIndices[] in = v.getInputVertices();
                for (int j = 0; j < in.length; j++) {
                    int from = in[j].getVertexIndex();
                    eps[from] = eps[from] == null ? back[j] : eps[from].add(back[j]);
                }
                if (r >= 0) {
                    backward[order[k]] += (System.nanoTime() - start) / 1e6;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int idx : order) {
            GraphVertex v = vertices[idx];
            if (v.isInputVertex()) {
                continue;
            }
            String kind = v.hasLayer() ? v.getLayer().conf().getLayer().getClass().getSimpleName()
                    : v.getClass().getSimpleName();
            rows.add(new Row(v.getVertexName() + " " + kind, forward[idx] / repeats, backward[idx] / repeats));
        }
        return rows;
    }
}
