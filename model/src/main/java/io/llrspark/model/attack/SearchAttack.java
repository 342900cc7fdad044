package io.llrspark.model.attack;

import java.util.Map;

/** An attack made of runs of one {@link Search}: it states the search's settings. */
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
}
