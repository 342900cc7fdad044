package io.llrspark.model.attack;

import java.io.Serializable;
import java.util.Map;

/** A search an attack is made of (PGD, APGD, Square): immutable settings that the report states. */
interface Search extends Serializable {
    Map<String, Object> settings();
}
