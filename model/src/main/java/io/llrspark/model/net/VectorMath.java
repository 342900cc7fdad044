package io.llrspark.model.net;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static io.llrspark.model.net.VectorKernels.SPECIES;

/**
 * exp and log1p on float vectors from additions, multiplications, fused multiply-adds, a division and bit
 * reinterpretation alone, about 1 ulp. The Vector API's own EXP and LOG1P run SVML code once C2 has compiled a loop and
 * per-lane Math calls before: results that differ in the last bit depending on JIT timing, so two identical runs would
 * not train identically. These give the same bits compiled or not, and avoid the lane conversions and masks that
 * JDK 17 does not compile to SIMD.
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** e^x stays a normal float (and 2^k below a valid exponent) inside ±this. */
    private static final float EXP_LOW = -87.3f;
    private static final float EXP_HIGH = 88.3f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer held in the low mantissa bits. */
    private static final float ROUND = 12582912f;

    private VectorMath() {
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(SPECIES, value);
    }

    /** e^x, clamped to [e^−87.3, e^88.3] (Cephes' expf polynomial after range reduction by ln 2). */
    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LOW).min(EXP_HIGH);
        FloatVector shifted = x.mul(LOG2E).add(ROUND);
        FloatVector k = shifted.sub(ROUND);
        FloatVector r = k.fma(c(-LN2_HI), x);
        r = k.fma(c(-LN2_LO), r);
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f);
        p = p.fma(r, c(8.3334519073E-3f));
        p = p.fma(r, c(4.1665795894E-2f));
        p = p.fma(r, c(1.6666665459E-1f));
        p = p.fma(r, c(5.0000001201E-1f));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        IntVector exponent = shifted.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND) - 127)
                .lanewise(VectorOperators.LSHL, 23);
        return y.mul(exponent.reinterpretAsFloats());
    }

    /**
     * log(1 + t) for t ≥ 0 as 2·atanh(s), s = t / (t + 2) ≤ 1/3 for t ≤ 1: an odd series in s, accurate for tiny t
     * without forming 1 + t.
     */
    static FloatVector log1pUnit(FloatVector t) {
        FloatVector s = t.div(t.add(2f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(1f / 13, 1f / 11);
        p = p.fma(s2, c(1f / 9));
        p = p.fma(s2, c(1f / 7));
        p = p.fma(s2, c(1f / 5));
        p = p.fma(s2, c(1f / 3));
        p = p.fma(s2, c(1f));
        return p.mul(s).mul(2f);
    }
}
