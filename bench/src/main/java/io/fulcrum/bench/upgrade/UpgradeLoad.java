package io.fulcrum.bench.upgrade;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The load of bench/upgrade/run.sh: HTTP/1.1 GETs against one proxy while it is upgraded or
 * reloaded, counting completed and failed requests per time bucket. Not a test; JDK only (the
 * script compiles this one file with javac, so it runs whatever the state of the Maven build).
 *
 * <pre>
 * java io.fulcrum.bench.upgrade.UpgradeLoad run --port P --keep-alive 50 --new-connection 10 --seconds 30 --out DIR
 * java io.fulcrum.bench.upgrade.UpgradeLoad summarize --dir DIR --t0 EPOCH_MS --done EPOCH_MS
 * </pre>
 *
 * {@code run} starts two loads at once, each a fixed number of threads in a closed loop: keep-alive
 * (one connection per thread, reused until the server closes it or says {@code Connection: close})
 * and new-connection (a connection per request, {@code Connection: close}, read to the end). A
 * request fails on a connect error, a reset or end of stream before the whole response, a 5 s
 * timeout or a status other than 2xx; a keep-alive thread then reconnects. It writes, in DIR,
 * {@code ka.tsv} and {@code new.tsv} (bucket start in epoch ms, completed, failed), {@code
 * failures.tsv} (epoch ms, load, kind; the first 10,000) and {@code workers.tsv} (each value of an
 * {@code X-Worker} response header and the epoch ms it was first seen: HAProxy and nginx are made
 * to send one that names their worker process).
 *
 * <p>{@code summarize} prints one line per load, tab separated: load, baseline (median completed
 * requests per bucket over the 5 s before {@code t0}), the lowest bucket from {@code t0} to 3 s
 * after it as a fraction of the baseline, the lowest from {@code t0} to 3 s after {@code done} (the
 * switch to the new process) as a fraction, the mean over the 10 s after {@code t0} as a fraction,
 * failed requests from 1 s before {@code t0} to the end, and those failures by kind.
 */
public final class UpgradeLoad {
    static final int BUCKET_MS = 100;
    static final int TIMEOUT_MS = 5000;
    static final int MAX_FAILURE_LINES = 10_000;

    private UpgradeLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, String> flags = flags(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "run" -> run(flags);
            case "summarize" -> summarize(flags);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: UpgradeLoad run --port P [--host H] [--keep-alive N] [--new-connection N] --seconds S --out DIR\n"
                + "       UpgradeLoad summarize --dir DIR --t0 EPOCH_MS [--done EPOCH_MS]");
        System.exit(2);
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        return flags;
    }

    // ---------------------------------------------------------------- run

    /** Completed and failed requests of one load, per bucket since {@code start}. */
    static final class Counts {
        final String name;
        final long start;
        final AtomicLongArray ok;
        final AtomicLongArray failed;

        Counts(String name, long start, int buckets) {
            this.name = name;
            this.start = start;
            this.ok = new AtomicLongArray(buckets);
            this.failed = new AtomicLongArray(buckets);
        }

        int bucket(long now) {
            return (int) Math.min(ok.length() - 1, Math.max(0, (now - start) / BUCKET_MS));
        }
    }

    /** Shared by all threads of a run. */
    static final class Run {
        final InetSocketAddress address;
        final String host;
        final long end;
        final Map<String, Long> workers = new ConcurrentHashMap<>();
        final List<String> failures = new ArrayList<>();
        volatile boolean stopped;

        Run(InetSocketAddress address, String host, long end) {
            this.address = address;
            this.host = host;
            this.end = end;
        }

        boolean running() {
            return !stopped && System.currentTimeMillis() < end;
        }

        void fail(Counts counts, String kind) {
            long now = System.currentTimeMillis();
            counts.failed.incrementAndGet(counts.bucket(now));
            synchronized (failures) {
                if (failures.size() < MAX_FAILURE_LINES) {
                    failures.add(now + "\t" + counts.name + "\t" + kind);
                }
            }
        }
    }

    /** A request failed; {@code kind} says how. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final String kind;

        Failure(String kind) {
            super(kind, null, false, false);
            this.kind = kind;
        }
    }

    private static void run(Map<String, String> flags) throws Exception {
        String host = flags.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(required(flags, "port"));
        int keepAlive = Integer.parseInt(flags.getOrDefault("keep-alive", "50"));
        int newConnection = Integer.parseInt(flags.getOrDefault("new-connection", "10"));
        int seconds = Integer.parseInt(required(flags, "seconds"));
        Path out = Path.of(required(flags, "out"));
        Files.createDirectories(out);

        long start = System.currentTimeMillis();
        int buckets = seconds * 1000 / BUCKET_MS + 1;
        Run run = new Run(new InetSocketAddress(host, port), host, start + seconds * 1000L);
        Counts ka = new Counts("keep-alive", start, buckets);
        Counts fresh = new Counts("new-connection", start, buckets);
        byte[] kaRequest = ("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: fulcrum-upgrade-bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] closeRequest = ("GET / HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: fulcrum-upgrade-bench\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < keepAlive; i++) {
            threads.add(new Thread(() -> keepAliveLoop(run, ka, kaRequest), "ka-" + i));
        }
        for (int i = 0; i < newConnection; i++) {
            threads.add(new Thread(() -> newConnectionLoop(run, fresh, closeRequest), "new-" + i));
        }
        for (Thread thread : threads) {
            thread.setDaemon(true);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(Math.max(1, run.end - System.currentTimeMillis() + TIMEOUT_MS + 1000));
        }
        run.stopped = true;

        write(out.resolve("ka.tsv"), ka);
        write(out.resolve("new.tsv"), fresh);
        synchronized (run.failures) {
            Files.write(out.resolve("failures.tsv"), run.failures);
        }
        List<String> workers = new ArrayList<>();
        new TreeMap<>(run.workers).forEach((worker, seen) -> workers.add(worker + "\t" + seen));
        Files.write(out.resolve("workers.tsv"), workers);
    }

    private static String required(Map<String, String> flags, String name) {
        String value = flags.get(name);
        if (value == null) {
            System.err.println("missing --" + name);
            usage();
        }
        return value;
    }

    private static void write(Path file, Counts counts) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            // the last bucket is partial (the run ended inside it): left out
            for (int i = 0; i < counts.ok.length() - 1; i++) {
                out.println((counts.start + (long) i * BUCKET_MS) + "\t" + counts.ok.get(i) + "\t" + counts.failed.get(i));
            }
        }
    }

    private static Socket connect(Run run) throws Failure {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(run.address, TIMEOUT_MS);
            return socket;
        } catch (ConnectException e) {
            close(socket);
            throw new Failure("connect refused");
        } catch (SocketTimeoutException e) {
            close(socket);
            throw new Failure("connect timeout");
        } catch (IOException e) {
            close(socket);
            throw new Failure("connect error");
        }
    }

    private static void keepAliveLoop(Run run, Counts counts, byte[] request) {
        Socket socket = null;
        InputStream in = null;
        int served = 0;
        while (run.running()) {
            try {
                if (socket == null) {
                    socket = connect(run);
                    in = new BufferedInputStream(socket.getInputStream(), 8192);
                    served = 0;
                }
                OutputStream out = socket.getOutputStream();
                try {
                    out.write(request);
                } catch (IOException e) {
                    throw new Failure(served > 0 ? "write failed on a reused connection" : "write failed");
                }
                boolean keep = readResponse(run, in, served > 0, false);
                served++;
                counts.ok.incrementAndGet(counts.bucket(System.currentTimeMillis()));
                if (!keep) {
                    close(socket);
                    socket = null;
                }
            } catch (Failure failure) {
                run.fail(counts, failure.kind);
                close(socket);
                socket = null;
                if (failure.kind.startsWith("connect")) {
                    pause();
                }
            } catch (IOException e) {
                run.fail(counts, "io error");
                close(socket);
                socket = null;
            }
        }
        close(socket);
    }

    private static void newConnectionLoop(Run run, Counts counts, byte[] request) {
        while (run.running()) {
            Socket socket = null;
            try {
                socket = connect(run);
                try {
                    socket.getOutputStream().write(request);
                } catch (IOException e) {
                    throw new Failure("write failed");
                }
                readResponse(run, new BufferedInputStream(socket.getInputStream(), 4096), false, true);
                counts.ok.incrementAndGet(counts.bucket(System.currentTimeMillis()));
            } catch (Failure failure) {
                run.fail(counts, failure.kind);
                if (failure.kind.startsWith("connect")) {
                    pause();
                }
            } catch (IOException e) {
                run.fail(counts, "io error");
            } finally {
                close(socket);
            }
        }
    }

    /** Nothing listens: do not spin. */
    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * Reads one response (status line, headers, a body by Content-Length or chunked, or to the end
     * of the stream); with {@code toEnd}, also reads until the server closes. Returns whether the
     * connection may be reused.
     */
    static boolean readResponse(Run run, InputStream in, boolean reused, boolean toEnd) throws Failure {
        boolean started = false;
        try {
            String status = line(in);
            if (status == null) {
                throw new Failure(reused ? "closed before the response, on a reused connection" : "closed before the response");
            }
            started = true;
            if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new Failure("bad status line");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            String header;
            while ((header = line(in)) != null && !header.isEmpty()) {
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.toLowerCase(Locale.ROOT).contains("close")
                            || (close && !value.toLowerCase(Locale.ROOT).contains("keep-alive"));
                    case "x-worker" -> run.workers.putIfAbsent(value, System.currentTimeMillis());
                    default -> {
                    }
                }
            }
            if (header == null) {
                throw new Failure("closed in the response");
            }
            if (chunked) {
                String size;
                while ((size = line(in)) != null) {
                    int semicolon = size.indexOf(';');
                    long chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                    if (chunk == 0) {
                        while ((header = line(in)) != null && !header.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(in, chunk);
                    line(in);
                }
                if (size == null) {
                    throw new Failure("closed in the response");
                }
            } else if (length >= 0) {
                skip(in, length);
            } else {
                while (in.read() >= 0) {
                    // body to the end of the stream
                }
                close = true;
            }
            if (toEnd && !close) {
                throw new Failure("no Connection: close in the response");
            }
            if (toEnd) {
                while (in.read() >= 0) {
                    // the server closes first (TIME_WAIT stays on its side, not on our ports)
                }
            }
            if (code < 200 || code > 299) {
                throw new Failure("status " + code);
            }
            return !close;
        } catch (SocketTimeoutException e) {
            throw new Failure("timeout");
        } catch (NumberFormatException e) {
            throw new Failure("bad response");
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            String what = message.contains("reset") ? "reset" : "io error";
            if (!started) {
                throw new Failure(what + " before the response" + (reused ? ", on a reused connection" : ""));
            }
            throw new Failure(what + " in the response");
        }
    }

    private static void skip(InputStream in, long n) throws IOException, Failure {
        while (n > 0) {
            int b = in.read();
            if (b < 0) {
                throw new Failure("closed in the response");
            }
            n--;
            long skipped = in.skip(n);
            n -= skipped;
        }
    }

    /** A line without its CRLF, or null at the end of the stream before any byte of it. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
        if (line.length() > 0) {
            throw new IOException("end of stream in a line");
        }
        return null;
    }

    // ---------------------------------------------------------------- summarize

    private static void summarize(Map<String, String> flags) throws IOException {
        Path dir = Path.of(required(flags, "dir"));
        long t0 = Long.parseLong(required(flags, "t0"));
        long done = Long.parseLong(flags.getOrDefault("done", Long.toString(t0)));
        List<String> failures = Files.exists(dir.resolve("failures.tsv")) ? Files.readAllLines(dir.resolve("failures.tsv"))
                : List.of();
        for (String[] load : new String[][] {{"keep-alive", "ka.tsv"}, {"new-connection", "new.tsv"}}) {
            List<long[]> buckets = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(load[1]))) {
                String[] f = line.split("\t");
                buckets.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
            List<Long> before = new ArrayList<>();
            long lowest3 = Long.MAX_VALUE;
            long lowestSwitch = Long.MAX_VALUE;
            long after10 = 0;
            int after10Buckets = 0;
            long failed = 0;
            for (long[] b : buckets) {
                long at = b[0];
                if (at >= t0 - 5000 && at + BUCKET_MS <= t0) {
                    before.add(b[1]);
                }
                // buckets that hold any time at or after t0
                if (at + BUCKET_MS > t0 && at < t0 + 3000) {
                    lowest3 = Math.min(lowest3, b[1]);
                }
                if (at + BUCKET_MS > t0 && at < Math.max(t0, done) + 3000) {
                    lowestSwitch = Math.min(lowestSwitch, b[1]);
                }
                if (at >= t0 && at + BUCKET_MS <= t0 + 10_000) {
                    after10 += b[1];
                    after10Buckets++;
                }
                if (at + BUCKET_MS > t0 - 1000) {
                    failed += b[2];
                }
            }
            before.sort(null);
            double baseline = before.isEmpty() ? Double.NaN
                    : before.size() % 2 == 1 ? before.get(before.size() / 2)
                            : (before.get(before.size() / 2 - 1) + before.get(before.size() / 2)) / 2.0;
            Map<String, Integer> kinds = new TreeMap<>();
            for (String line : failures) {
                String[] f = line.split("\t");
                if (f.length == 3 && f[1].equals(load[0]) && Long.parseLong(f[0]) >= t0 - 1000) {
                    kinds.merge(f[2], 1, Integer::sum);
                }
            }
            StringBuilder kindText = new StringBuilder();
            kinds.forEach((kind, n) -> kindText.append(kindText.length() == 0 ? "" : "; ").append(n).append(' ').append(kind));
            double mean = after10Buckets == 0 ? Double.NaN : (double) after10 / after10Buckets;
            System.out.printf(Locale.ROOT, "%s\t%.0f\t%.3f\t%.3f\t%.3f\t%d\t%s%n", load[0], baseline,
                    lowest3 / baseline, lowestSwitch / baseline, mean / baseline, failed,
                    kindText.length() == 0 ? "-" : kindText);
        }
    }
}
