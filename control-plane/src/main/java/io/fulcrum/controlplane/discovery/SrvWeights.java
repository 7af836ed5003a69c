package io.fulcrum.controlplane.discovery;

import io.fulcrum.config.schema.Schema;
import java.util.List;

/**
 * SRV weights (0..65535) as server weights (0..1000): kept when they fit, else scaled down
 * together so their ratios stay. SRV weight 0 means "rarely" (RFC 2782), not "never": it becomes 1.
 */
final class SrvWeights {
    private SrvWeights() {
    }

    static List<Integer> scale(List<Integer> weights) {
        int max = weights.stream().mapToInt(Integer::intValue).max().orElse(0);
        return weights.stream().map(w -> {
            long scaled = max <= Schema.MAX_WEIGHT ? w : Math.round(w * (double) Schema.MAX_WEIGHT / max);
            return (int) Math.max(1, scaled);
        }).toList();
    }
}
