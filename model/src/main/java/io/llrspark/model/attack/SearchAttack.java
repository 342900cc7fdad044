package io.llrspark.model.attack;

import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * An attack made of runs of one {@link Search}: it states the search's settings, and at ε = 0, where there is nothing
 * to search, returns the clean inputs without spending a pass on them.
 */
abstract class SearchAttack<S extends Search> implements Attack {
    private final String name;
    final S search;

    SearchAttack(String name, S search) {
        this.name = name;
        this.search = search;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public Map<String, Object> settings() {
        return search.settings();
    }

    @Override
    public final AttackResult run(Classifier net, INDArray x, INDArray y, double eps, long seed) {
        return eps <= 0 ? PgdSearch.evaluate(net, x, y) : attack(net, x, y, eps, seed);
    }

    /** The attack at a positive ε (see {@link Attack#run}). */
    abstract AttackResult attack(Classifier net, INDArray x, INDArray y, double eps, long seed);
}
