package io.llrspark.model.attack;

import java.util.Map;

/** An attack made of {@link PgdSearch} runs: it states the search's settings. */
abstract class SearchAttack implements Attack {
    private final String name;
    final PgdSearch search;

    SearchAttack(String name, PgdSearch search) {
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
