package io.fulcrum.it;

import java.util.ArrayList;
import java.util.List;

/** A network namespace a test runs processes in. */
interface Namespace {
    /** The namespace's name (for ip netns). */
    String name();

    /** The namespace's address that this host (the test) reaches it by. */
    String innerAddress();

    /** {@code command} prefixed to run inside the namespace. */
    default List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", name()));
        wrapped.addAll(command);
        return wrapped;
    }
}
