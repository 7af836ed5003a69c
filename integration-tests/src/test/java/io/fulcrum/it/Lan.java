package io.fulcrum.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A LAN of network namespaces: a bridge in a namespace of its own, one namespace per host on it
 * (10.78.S.N/24, interface e0), and this host joined as 10.78.S.1 (one veth, so the test reaches
 * every host and a backend in the test is reachable from them). Needs root and iproute2. Names
 * carry the test's pid, so {@link #removeLeftovers()} can clear what a killed run left behind.
 */
final class Lan implements AutoCloseable {
    private static final String PREFIX = "fl";

    private final String tag;
    private final int subnet;
    private final List<String> namespaces = new ArrayList<>();
    private final String hostLink;

    private Lan(String tag, int subnet) {
        this.tag = tag;
        this.subnet = subnet;
        this.hostLink = tag + "h";
    }

    /** A host on the LAN. */
    record Host(String name, String address) implements Namespace {
        @Override
        public String innerAddress() {
            return address;
        }
    }

    static Lan create() throws IOException {
        removeLeftovers();
        long pid = ProcessHandle.current().pid();
        Lan lan = new Lan(PREFIX + (pid % 100000), 20 + (int) (pid % 200));
        try {
            lan.namespace(lan.switchName());
            must("ip", "-n", lan.switchName(), "link", "add", "br0", "type", "bridge");
            must("ip", "-n", lan.switchName(), "link", "set", "br0", "up");
            must("ip", "link", "add", lan.hostLink, "type", "veth", "peer", "name", lan.tag + "s");
            must("ip", "link", "set", lan.tag + "s", "netns", lan.switchName());
            must("ip", "-n", lan.switchName(), "link", "set", lan.tag + "s", "master", "br0", "up");
            must("ip", "addr", "add", lan.address(1) + "/24", "dev", lan.hostLink);
            must("ip", "link", "set", lan.hostLink, "up");
        } catch (IOException e) {
            lan.close();
            throw e;
        }
        return lan;
    }

    /** Adds host {@code name} with address 10.78.S.{@code number} (2..254). */
    Host join(String name, int number) throws IOException {
        String ns = tag + "-" + name;
        namespace(ns);
        String outer = tag + "v" + number;
        must("ip", "link", "add", outer, "type", "veth", "peer", "name", "e0", "netns", ns);
        must("ip", "link", "set", outer, "netns", switchName());
        must("ip", "-n", switchName(), "link", "set", outer, "master", "br0", "up");
        must("ip", "-n", ns, "link", "set", "lo", "up");
        must("ip", "-n", ns, "link", "set", "e0", "up");
        must("ip", "-n", ns, "addr", "add", address(number) + "/24", "dev", "e0");
        return new Host(ns, address(number));
    }

    /** 10.78.S.{@code number}. */
    String address(int number) {
        return "10.78." + subnet + "." + number;
    }

    /** The addresses of interface e0 in {@code host} (e.g. to see whether it holds a VIP). */
    static String addresses(Host host) throws IOException {
        return output("ip", "-n", host.name(), "-4", "-o", "addr", "show", "dev", "e0");
    }

    /** Brings {@code host}'s interface down (a cut link: nothing it sends arrives) or up again. */
    static void setLink(Host host, boolean up) throws IOException {
        must("ip", "-n", host.name(), "link", "set", "e0", up ? "up" : "down");
    }

    /** Runs each nftables command (e.g. {@code add table inet fault}) inside {@code host}: partitions. */
    static void nft(Host host, String... commands) throws IOException {
        for (String command : commands) {
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", host.name(), "nft"));
            argv.addAll(List.of(command.split(" ")));
            must(argv.toArray(String[]::new));
        }
    }

    private String switchName() {
        return tag + "-sw";
    }

    private void namespace(String name) throws IOException {
        must("ip", "netns", "add", name);
        namespaces.add(name);
    }

    /** Deletes the namespaces (processes inside must be stopped first) and the host's link. */
    @Override
    public void close() {
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
        run("ip", "link", "del", hostLink);
    }

    /** Namespaces and links of earlier runs whose test process is gone (a killed build leaves them). */
    static void removeLeftovers() {
        try {
            for (String line : output("ip", "netns", "list").lines().toList()) {
                String ns = line.split(" ")[0];
                if (ns.matches(PREFIX + "\\d+-.*") && !alive(ns)) {
                    run("ip", "netns", "del", ns);
                }
            }
            for (String line : output("ip", "-o", "link", "show").lines().toList()) {
                String[] parts = line.split(":\\s+");
                String link = parts.length > 1 ? parts[1].split("@")[0] : "";
                if (link.matches(PREFIX + "\\d+h") && !alive(link)) {
                    run("ip", "link", "del", link);
                }
            }
        } catch (IOException e) {
            // nothing to clean, or no iproute2: create() reports it
        }
    }

    /** Whether the test process named in a leftover's name (its pid modulo 100,000) still runs. */
    private static boolean alive(String name) {
        String digits = name.substring(PREFIX.length()).replaceAll("\\D.*", "");
        long mod = Long.parseLong(digits);
        return ProcessHandle.allProcesses().anyMatch(p -> p.pid() % 100000 == mod && p.pid() != 1
                && p.info().command().map(c -> c.contains("java")).orElse(false));
    }

    private static void must(String... command) throws IOException {
        if (run(command) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String output(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text;
    }
}
