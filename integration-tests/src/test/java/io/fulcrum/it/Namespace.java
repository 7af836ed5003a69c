package io.fulcrum.it;

import java.util.List;

/** A network namespace a test runs processes in. */
interface Namespace {
    /** {@code command} prefixed to run inside the namespace. */
    List<String> wrap(List<String> command);

    /** The namespace's address that this host (the test) reaches it by. */
    String innerAddress();
}
