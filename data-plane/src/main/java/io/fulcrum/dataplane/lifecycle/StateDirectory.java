package io.fulcrum.dataplane.lifecycle;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a node keeps its state when {@code --state-dir} is not given: {@code /var/lib/fulcrum/NODE}
 * when {@code /var/lib/fulcrum} is a directory this process may write (a package or an operator
 * made it), else {@code ~/.fulcrum/NODE}. Characters of the node id other than letters, digits,
 * {@code .}, {@code _} and {@code -} become {@code _}.
 */
public final class StateDirectory {
    static final Path SYSTEM = Path.of("/var/lib/fulcrum");

    private StateDirectory() {
    }

    /** The default state directory of node {@code nodeId}. */
    public static Path defaultFor(String nodeId) {
        return defaultFor(nodeId, SYSTEM, Path.of(System.getProperty("user.home"), ".fulcrum"));
    }

    static Path defaultFor(String nodeId, Path system, Path home) {
        String name = nodeId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.equals(".") || name.equals("..")) {
            name = name.replace('.', '_');
        }
        Path base = Files.isDirectory(system) && Files.isWritable(system) ? system : home;
        return base.resolve(name);
    }
}
