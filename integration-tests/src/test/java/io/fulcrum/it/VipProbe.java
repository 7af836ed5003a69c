package io.fulcrum.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client in its own network namespace: {@code VipProbe HOST PORT MILLIS} asks HOST:PORT a line
 * on a new connection every 20 ms (connect timeout 200 ms, answer timeout 1 s) for MILLIS ms and
 * prints one line per attempt, {@code MILLIS_SINCE_START OK|REFUSED|TIMEOUT|ERROR}, then "done".
 */
public final class VipProbe {
    private VipProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long start = System.nanoTime();
        long end = start + Long.parseLong(args[2]) * 1_000_000;
        System.out.println("started");
        System.out.flush();
        while (System.nanoTime() < end) {
            String outcome = attempt(target);
            System.out.println((System.nanoTime() - start) / 1_000_000 + " " + outcome);
            System.out.flush();
            Thread.sleep(20);
        }
        System.out.println("done");
        System.out.flush();
    }

    private static String attempt(InetSocketAddress target) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(1000);
            socket.connect(target, 200);
            OutputStream out = socket.getOutputStream();
            out.write("probe\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.endsWith(" probe") ? "OK" : "ERROR closed";
        } catch (ConnectException e) {
            return "REFUSED";
        } catch (SocketTimeoutException e) {
            return "TIMEOUT";
        } catch (Exception e) {
            return "ERROR " + e.getClass().getSimpleName();
        }
    }

    /** What a probe's output says. */
    record Report(List<Long> okAt, int refused, int failed, String text) {
        /** The longest time between two answered requests, ms. */
        long longestGap() {
            long longest = 0;
            for (int i = 1; i < okAt.size(); i++) {
                longest = Math.max(longest, okAt.get(i) - okAt.get(i - 1));
            }
            return longest;
        }

        static Report parse(String output) {
            List<Long> ok = new ArrayList<>();
            int refused = 0;
            int failed = 0;
            for (String line : output.lines().toList()) {
                String[] parts = line.split(" ", 2);
                if (parts.length < 2 || !parts[0].matches("\\d+")) {
                    continue;
                }
                if (parts[1].equals("OK")) {
                    ok.add(Long.parseLong(parts[0]));
                } else if (parts[1].equals("REFUSED")) {
                    refused++;
                } else {
                    failed++;
                }
            }
            return new Report(ok, refused, failed, output);
        }
    }
}
