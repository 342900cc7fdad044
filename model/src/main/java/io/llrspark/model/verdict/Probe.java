package io.llrspark.model.verdict;

/**
 * The attacks the verdict compares, in the order they run at each ε. PGD-k runs on every clean-correct example, and so
 * do FGSM and noise; the stronger PGD, APGD-CE, APGD-T and Square each run only on the examples every attack before
 * them left robust, so each figures as what it finds beyond those (AutoAttack's own saving, and the quantity each
 * check is about).
 */
public enum Probe {
    PGD("PGD"), STRONGER_PGD("stronger PGD"), APGD("APGD-CE"), APGD_T("APGD-T"), SQUARE("Square"), FGSM("FGSM"),
    NOISE("noise");

    final String label;

    Probe(String label) {
        this.label = label;
    }
}
