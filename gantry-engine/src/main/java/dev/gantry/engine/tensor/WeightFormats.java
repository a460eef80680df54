package dev.gantry.engine.tensor;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The registry from {@link GgmlType} to its {@link WeightFormat}: one immutable table of stateless formats. */
final class WeightFormats {

    private static final Map<GgmlType, WeightFormat> FORMATS = table(
            new F32(), new F16(), new BF16(),
            new Q8_0(), new Q4_0(), new Q4_1(), new Q5_0(), new Q5_1(),
            new Q2_K(), new Q3_K(), new Q4_K(), new Q5_K(), new Q6_K(),
            new IQ4_NL(), new IQ4_XS());

    private WeightFormats() {
    }

    static WeightFormat of(GgmlType type) {
        WeightFormat format = FORMATS.get(type);
        if (format == null) {
            throw new UnsupportedOperationException("unsupported weight type " + type
                    + " (supported: " + FORMATS.keySet() + ")");
        }
        return format;
    }

    private static Map<GgmlType, WeightFormat> table(WeightFormat... formats) {
        Map<GgmlType, WeightFormat> map = new EnumMap<>(GgmlType.class);
        for (WeightFormat f : formats) {
            map.put(f.type(), f);
        }
        return Collections.unmodifiableMap(map);
    }
}
