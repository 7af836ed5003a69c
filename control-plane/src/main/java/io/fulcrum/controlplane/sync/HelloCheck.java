package io.fulcrum.controlplane.sync;

import io.fulcrum.config.schema.Names;
import io.fulcrum.proto.v1.Hello;
import java.util.Map;

/**
 * What a Hello must be before a member keeps anything of it: its node id and labels end up in
 * the replicated observed state, in {@code fctl nodes} and in metric labels, so they are bounded.
 */
final class HelloCheck {
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_TEXT = 256;

    private HelloCheck() {
    }

    /** Why {@code hello} is refused, or null when it is fine. */
    static String problem(Hello hello) {
        if (!Names.isValid(hello.getNodeId())) {
            return "Hello node_id " + shown(hello.getNodeId()) + ": a node id is " + Names.RULE;
        }
        if (hello.getLabelsCount() > MAX_LABELS) {
            return "Hello of " + hello.getNodeId() + " has " + hello.getLabelsCount() + " labels; at most " + MAX_LABELS;
        }
        for (Map.Entry<String, String> label : hello.getLabelsMap().entrySet()) {
            if (label.getKey().isEmpty() || label.getKey().length() > MAX_LABEL_TEXT
                    || label.getValue().length() > MAX_LABEL_TEXT) {
                return "Hello of " + hello.getNodeId() + ": label " + shown(label.getKey())
                        + " needs a key of 1 to " + MAX_LABEL_TEXT + " characters and a value of at most " + MAX_LABEL_TEXT;
            }
        }
        return null;
    }

    private static String shown(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return '"' + (oneLine.length() > 40 ? oneLine.substring(0, 37) + "..." : oneLine) + '"';
    }
}
