package io.fulcrum.it;

import java.util.ArrayList;
import java.util.List;

/** What a test started, closed in the reverse order after it (call {@link #close} from {@code @AfterEach}). */
final class Resources implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Closes {@code resource} when the test ends; returns it. */
    <T extends AutoCloseable> T add(T resource) {
        opened.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
