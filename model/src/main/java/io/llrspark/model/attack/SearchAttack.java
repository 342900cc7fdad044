package io.llrspark.model.attack;

import java.util.Map;

/** An attack made of {@link PgdSearch} runs: it states the search's settings. */
abstract class SearchAttack implements Attack {
    final PgdSearch search;

    SearchAttack(PgdSearch search) {
        this.search = search;
    }

    @Override
    public Map<String, Object> settings() {
        return search.settings();
    }
}
