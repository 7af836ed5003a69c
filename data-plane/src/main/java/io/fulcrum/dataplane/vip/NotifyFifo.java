package io.fulcrum.dataplane.vip;

import io.fulcrum.proto.v1.VrrpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads keepalived's notify FIFO ({@code INSTANCE "vip0" MASTER 200}, one line per state change)
 * on a thread of its own, reopening it whenever keepalived closes it (a restart).
 */
final class NotifyFifo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyFifo.class);
    private static final Pattern LINE = Pattern.compile("INSTANCE \"([^\"]+)\" (\\w+) (\\d+)");

    /** Told each state change, on the FIFO's thread. */
    interface Listener {
        void changed(String vip, VrrpState state, int priority);
    }

    private final Path path;
    private final Listener listener;
    private final Thread thread;
    private volatile boolean closed;

    private NotifyFifo(Path path, Listener listener, String name) {
        this.path = path;
        this.listener = listener;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Creates the FIFO (mkfifo) if needed and starts reading it. */
    static NotifyFifo open(Path path, Listener listener, String threadName) throws IOException {
        if (!Files.exists(path)) {
            try {
                Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
                if (mkfifo.waitFor() != 0) {
                    throw new IOException("mkfifo " + path + " failed: " + new String(mkfifo.getInputStream().readAllBytes()).trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted creating " + path, e);
            }
        }
        NotifyFifo fifo = new NotifyFifo(path, listener, threadName);
        fifo.thread.start();
        return fifo;
    }

    private void run() {
        while (!closed) {
            try (BufferedReader lines = Files.newBufferedReader(path, StandardCharsets.US_ASCII)) {
                for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
                    parse(line);
                }
            } catch (IOException e) {
                if (!closed) {
                    log.debug("keepalived's FIFO {}: {}", path, e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    private void parse(String line) {
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) {
            return;
        }
        VrrpState state = switch (m.group(2)) {
            case "MASTER" -> VrrpState.VRRP_STATE_MASTER;
            case "BACKUP" -> VrrpState.VRRP_STATE_BACKUP;
            case "FAULT" -> VrrpState.VRRP_STATE_FAULT;
            case "STOP" -> VrrpState.VRRP_STATE_STOPPED;
            default -> null;
        };
        if (state != null) {
            listener.changed(m.group(1), state, Integer.parseInt(m.group(3)));
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops reading: opens the FIFO once itself (read-write, which never blocks on Linux), so a
     * reader waiting for a writer wakes up. Call it after keepalived stopped.
     */
    @Override
    public void close() {
        closed = true;
        try (var unblock = new java.io.RandomAccessFile(path.toFile(), "rw")) {
            unblock.getFD().sync();
        } catch (IOException e) {
            // nobody reads: nothing to wake
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
