package io.fulcrum.dataplane;

import io.fulcrum.dataplane.runtime.ApplyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --watch}: re-reads the config file when its modification time changes (checked every
 * second) and applies it as the next version; a file that does not parse or apply leaves the
 * running config as it is.
 */
final class ConfigFileWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final DataPlane node;
    private final ScheduledExecutorService timer;
    private FileTime seen;
    private long version;

    ConfigFileWatcher(Path file, DataPlane node, long appliedVersion) {
        this.file = file;
        this.node = node;
        this.version = appliedVersion;
        this.seen = modified();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fulcrum-" + node.nodeId() + "-config-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::reloadIfChanged, 1, 1, TimeUnit.SECONDS);
    }

    private void reloadIfChanged() {
        FileTime now = modified();
        if (now == null || now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            ApplyResult result = node.apply(ConfigScript.read(file, ++version));
            if (result.isApplied()) {
                log.info("config file {} reloaded as version {}", file, result.version());
            }
        } catch (ConfigScript.InvalidConfigFileException e) {
            log.warn("config file not reloaded, the running config stays: {}", e.getMessage());
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
