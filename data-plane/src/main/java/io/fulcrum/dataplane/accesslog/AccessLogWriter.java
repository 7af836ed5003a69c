package io.fulcrum.dataplane.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access-log lines to one destination (stdout or a file, opened for appending) from its own
 * thread, so an event loop never waits for a disk: {@link #write} only offers the line to a bounded
 * queue and, when the queue is full, drops it and counts it. Lines are flushed whenever the queue
 * runs empty. Thread-safe.
 */
public final class AccessLogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    /** Lines waiting at most; beyond that new lines are dropped. */
    static final int QUEUE_LINES = 65536;

    private final String destination;
    private final Writer out;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Opens {@code destination} ({@code stdout} or an absolute file path) and starts the writer thread.
     *
     * @throws UncheckedIOException if the file cannot be opened for appending
     */
    public AccessLogWriter(String destination, String threadName) {
        this.destination = destination;
        this.out = open(destination);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private static Writer open(String destination) {
        if (destination.equals("stdout")) {
            return new OutputStreamWriter(new NonClosing(System.out), StandardCharsets.UTF_8);
        }
        try {
            return Files.newBufferedWriter(Path.of(destination), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open access log " + destination + ": " + e.getMessage(), e);
        }
    }

    /** Queues one line (without its line break); never blocks. */
    public void write(String line) {
        if (closed || !queue.offer(line)) {
            dropped.increment();
        }
    }

    public String destination() {
        return destination;
    }

    /** Lines written so far. */
    public long written() {
        return written.sum();
    }

    /** Lines dropped because the queue was full (or the writer closed). */
    public long dropped() {
        return dropped.sum();
    }

    private void run() {
        try {
            while (!closed || !queue.isEmpty()) {
                String line = queue.poll(200, TimeUnit.MILLISECONDS);
                while (line != null) {
                    out.write(line);
                    out.write('\n');
                    written.increment();
                    line = queue.poll();
                }
                out.flush();
            }
        } catch (IOException e) {
            log.warn("access log {}: {}; lines are dropped from now on", destination, e.toString());
            closed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dropped.add(queue.size());
            queue.clear();
            try {
                out.close();
            } catch (IOException e) {
                // nothing more to write anyway
            }
        }
    }

    /** Stops taking lines, writes what is queued and closes the file (waits up to two seconds). */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** stdout stays open when a writer to it closes. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
