package io.fulcrum.config.model;

import io.fulcrum.config.command.Interpreter;
import io.fulcrum.config.schema.BuiltIns;
import io.fulcrum.config.testing.CertKeyPems;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random valid configurations with every resource type, written as command scripts: edge values
 * (weight 0, IPv6, host names, /0 and /128 networks, annotation values with quotes, braces,
 * backslashes, spaces and non-ASCII text) included. Deterministic for a seed.
 */
public final class RandomConfigs {
    private static final String NAME_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String NAME_REST = NAME_FIRST + "._:-";

    private final Random random;
    private int port = 1000;

    public RandomConfigs(Random random) {
        this.random = random;
    }

    /** A random script of changes that applies to an empty model. */
    public List<String> script() {
        List<String> lines = new ArrayList<>();
        List<String> groups = new ArrayList<>(List.of(BuiltIns.ACCEPTOR_ELG, BuiltIns.WORKER_ELG, BuiltIns.CONTROL_ELG));
        for (int i = random.nextInt(4); i > 0; i--) {
            String elg = name("elg", i);
            lines.add("add event-loop-group " + elg + maybeAnnotations());
            for (int j = 1 + random.nextInt(3); j > 0; j--) {
                lines.add("add event-loop " + name("el", j) + " to event-loop-group " + elg + maybeAnnotations());
            }
            groups.add(elg);
        }
        List<String> securityGroups = new ArrayList<>(List.of(BuiltIns.ALLOW_ALL));
        for (int i = random.nextInt(3); i > 0; i--) {
            String secg = name("secg", i);
            lines.add("add security-group " + secg + " default " + pick("allow", "deny"));
            for (int j = random.nextInt(4); j > 0; j--) {
                int low = 1 + random.nextInt(65535);
                lines.add("add security-group-rule " + name("r", j) + " to security-group " + secg + " network "
                        + network() + " protocol " + pick("TCP", "UDP", "tcp") + " port-range " + low + ","
                        + (low + random.nextInt(65536 - low)) + " default " + pick("allow", "deny"));
            }
            securityGroups.add(secg);
        }
        List<String> serverGroups = new ArrayList<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            String sg = name("sg", i);
            lines.add("add server-group " + sg + " timeout " + (1 + random.nextInt(5000)) + " period "
                    + (1 + random.nextInt(5000)) + " up " + (1 + random.nextInt(10)) + " down " + (1 + random.nextInt(10))
                    + optional(" protocol " + pick("tcp", "http", "none")) + optional(" method " + pick("wrr", "wlc", "source"))
                    + optional(" event-loop-group " + pick(groups.toArray(String[]::new))) + maybeAnnotations()
                    + (random.nextInt(4) == 0 ? discovery() : "") + (random.nextInt(3) == 0 ? origination() : "")
                    + optional(" host-header " + pick("api.test", "api.test:8443", "none"))
                    + optional(" slow-start " + random.nextInt(60_000)));
            // a discovered group's servers come from its source, never from a script
            for (int j = lines.get(lines.size() - 1).contains(" discovery ") ? 0 : random.nextInt(6); j > 0; j--) {
                lines.add("add server " + name("s", j) + " to server-group " + sg + " address " + serverAddress()
                        + optional(" weight " + random.nextInt(1001)) + optional(" priority " + random.nextInt(65536)));
            }
            serverGroups.add(sg);
        }
        List<String> upstreams = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            String ups = name("ups", i);
            lines.add("add upstream " + ups);
            for (String sg : serverGroups) {
                if (random.nextBoolean()) {
                    lines.add("add server-group " + sg + " to upstream " + ups + optional(" weight " + random.nextInt(1001))
                            + maybeAnnotations());
                }
            }
            upstreams.add(ups);
        }
        List<String> certKeys = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            String[] pem = CertKeyPems.PAIRS.get(random.nextInt(CertKeyPems.PAIRS.size()));
            String ck = name("ck", i);
            lines.add("add cert-key " + ck + " cert " + pem[0] + " key " + pem[1]);
            certKeys.add(ck);
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            lines.add("add tcp-lb " + name("lb", i) + " address " + pick("127.0.0.1", "10.1.2.3", "[::1]", "[fd00::5]")
                    + ":" + (port++) + " upstream " + pick(upstreams.toArray(String[]::new))
                    + optional(" acceptor-elg " + pick(groups.toArray(String[]::new)))
                    + optional(" event-loop-group " + pick(groups.toArray(String[]::new)))
                    + optional(" in-buffer-size " + (1 + random.nextInt(1 << 20)))
                    + optional(" out-buffer-size " + (1 + random.nextInt(1 << 20)))
                    + optional(" timeout " + (1 + random.nextInt(Integer.MAX_VALUE)))
                    + optional(" protocol " + pick("tcp", "http"))
                    + optional(" security-group " + pick(securityGroups.toArray(String[]::new)))
                    + (certKeys.isEmpty() ? "" : optional(" cert-key " + String.join(",",
                            certKeys.subList(random.nextInt(certKeys.size()), certKeys.size())))));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            boolean v2 = random.nextBoolean();
            lines.add("add vip " + name("vip", i) + " address 10.9." + i + "." + (1 + random.nextInt(254)) + "/"
                    + pick("24", "16", "32") + " router-id " + (50 + i) + optional(" interface " + pick("eth0", "e0", "bond0.12"))
                    + optional(" advert " + (v2 ? pick("1000", "3000") : pick("100", "10", "1500")))
                    + (v2 ? optional(" password " + pick("s3cret", "12345678", "a")) : "")
                    + optional(" selector " + pick("role=edge", "zone=a,role=edge", "k.io/x=")));
        }
        return lines;
    }

    /** A model built from {@link #script()}, with a few updates applied on top. */
    public ConfigModel model() {
        Interpreter interpreter = new Interpreter();
        interpreter.exec(String.join("\n", script()));
        for (String update : updates(interpreter.model())) {
            interpreter.exec(update);
        }
        return interpreter.model();
    }

    private List<String> updates(ConfigModel model) {
        List<String> updates = new ArrayList<>();
        for (var resource : model.list(io.fulcrum.config.schema.Kind.SERVER_GROUP)) {
            var group = (io.fulcrum.proto.v1.ServerGroup) resource;
            if (random.nextBoolean()) {
                updates.add("update server-group " + group.getName() + " method " + pick("wrr", "wlc", "source")
                        + optional(" timeout 7 period 8 up 9 down 10"));
            }
            for (var server : group.getServersList()) {
                if (random.nextInt(3) == 0) {
                    updates.add("update server " + server.getName() + " in server-group " + group.getName()
                            + " weight " + random.nextInt(1001));
                }
            }
        }
        return updates;
    }

    private String name(String prefix, int index) {
        if (random.nextInt(3) > 0) {
            return prefix + index;
        }
        StringBuilder name = new StringBuilder().append(NAME_FIRST.charAt(random.nextInt(NAME_FIRST.length())));
        for (int i = random.nextInt(12); i > 0; i--) {
            name.append(NAME_REST.charAt(random.nextInt(NAME_REST.length())));
        }
        return name.append('-').append(prefix).append(index).toString();
    }

    private String maybeAnnotations() {
        if (random.nextInt(3) > 0) {
            return "";
        }
        String[] values = {"plain", "with space", "quote \\\" inside", "brace } { here", "back\\\\slash",
                "µ-ünïcode ✓", "", "#not a comment", "tab\\tand\\nnewline"};
        StringBuilder json = new StringBuilder("{");
        for (int i = random.nextInt(3); i >= 0; i--) {
            json.append("\"k").append(i).append("\":\"").append(pick(values)).append("\"").append(i > 0 ? "," : "");
        }
        return " annotations " + json.append('}');
    }

    /** TLS to the servers (ca-cert-key is covered by OriginationCommandsTest). */
    private String origination() {
        return " tls true" + optional(" sni " + pick("api.test", "server")) + optional(" tls-verify "
                + pick("on", "insecure-skip-verify"));
    }

    private String discovery() {
        return " discovery " + pick("srv:_redis._tcp.service.consul", "srv:_http._tcp.web.default.svc.cluster.local.",
                "dns:backend.example.com:" + (1 + random.nextInt(65535)))
                + optional(" discovery-resolver " + pick("127.0.0.1:8600", "10.0.0.2", "[::1]:53,10.0.0.3:5353", "system"))
                + optional(" discovery-interval " + (100 + random.nextInt(10_000)))
                + optional(" discovery-timeout " + (1 + random.nextInt(5000)))
                + optional(" discovery-hold-empty " + (1 + random.nextInt(100_000)));
    }

    private String network() {
        return pick("10.0.0.0/8", "0.0.0.0/0", "192.168.1.128/25", "127.0.0.1/32", "fd00::/8", "::/0",
                "2001:db8::1/128", "10.10.0.0/16");
    }

    private String serverAddress() {
        String host = pick("10.0.2." + random.nextInt(256), "[2001:db8::" + Integer.toHexString(random.nextInt(65536)) + "]",
                "backend-" + random.nextInt(1000) + ".example.com", "localhost", "[::ffff:10.0.0.1]");
        return host + ":" + (port++);
    }

    private String optional(String text) {
        return random.nextBoolean() ? text : "";
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
