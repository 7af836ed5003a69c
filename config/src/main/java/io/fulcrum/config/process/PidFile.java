package io.fulcrum.config.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file holding this process's id ({@code --pid-file}), for service managers and scripts:
 * written whole (a reader never sees half of it) once the node serves, removed on a clean exit.
 * A process killed with SIGKILL leaves it behind; the next start overwrites it.
 */
public final class PidFile implements AutoCloseable {
    private final Path file;

    private PidFile(Path file) {
        this.file = file;
    }

    /**
     * Writes this process's id and a newline to {@code file}, creating its parent directories.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static PidFile write(Path file) {
        try {
            Path absolute = file.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
            Files.writeString(partial, ProcessHandle.current().pid() + "\n");
            Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new PidFile(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pid file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return file;
    }

    /** Removes the file if it still holds this process's id (another process may have taken it over). */
    @Override
    public void close() {
        try {
            if (Files.exists(file) && Files.readString(file).trim().equals(String.valueOf(ProcessHandle.current().pid()))) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // nothing to do about it while stopping: a stale pid file is overwritten at the next start
        }
    }
}
