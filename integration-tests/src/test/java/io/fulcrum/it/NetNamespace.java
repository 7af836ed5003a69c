package io.fulcrum.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to this host by a veth pair: the host side is 10.77.N.1, the
 * namespace side 10.77.N.2. Needs root and iproute2; {@link #available()} says whether it works.
 */
final class NetNamespace implements Namespace, AutoCloseable {
    private final String name;
    private final String hostLink;
    private final int subnet;

    private NetNamespace(String name, String hostLink, int subnet) {
        this.name = name;
        this.hostLink = hostLink;
        this.subnet = subnet;
    }

    static boolean available() {
        try {
            String probe = "fulcrum-probe-" + ProcessHandle.current().pid();
            boolean ok = run("ip", "netns", "add", probe) == 0;
            run("ip", "netns", "del", probe);
            return ok;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static NetNamespace create(int subnet) throws IOException {
        String name = "fulcrum-" + ProcessHandle.current().pid() + "-" + subnet;
        String hostLink = "fvh" + subnet + "p" + (ProcessHandle.current().pid() % 10000);
        String innerLink = "fvn" + subnet + "p" + (ProcessHandle.current().pid() % 10000);
        NetNamespace ns = new NetNamespace(name, hostLink, subnet);
        must("ip", "netns", "add", name);
        must("ip", "link", "add", hostLink, "type", "veth", "peer", "name", innerLink);
        must("ip", "link", "set", innerLink, "netns", name);
        must("ip", "addr", "add", ns.hostAddress() + "/30", "dev", hostLink);
        must("ip", "link", "set", hostLink, "up");
        must("ip", "netns", "exec", name, "ip", "addr", "add", ns.innerAddress() + "/30", "dev", innerLink);
        must("ip", "netns", "exec", name, "ip", "link", "set", innerLink, "up");
        must("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        return ns;
    }

    String hostAddress() {
        return "10.77." + subnet + ".1";
    }

    @Override
    public String innerAddress() {
        return "10.77." + subnet + ".2";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", name);
        run("ip", "link", "del", hostLink);
    }

    private static void must(String... command) throws IOException {
        if (run(command) != 0) {
            throw new IOException("failed: " + String.join(" ", command));
        }
    }

    private static int run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        if (process.exitValue() != 0 && !output.isBlank() && command.length > 2 && command[1].equals("link")
                && command[2].equals("del")) {
            return process.exitValue(); // already gone with the namespace
        }
        return process.exitValue();
    }
}
