package io.fulcrum.controlplane.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.config.schema.DiscoverySettings;
import io.fulcrum.controlplane.testing.Dnsmasq;
import io.fulcrum.controlplane.testing.Ports;
import io.fulcrum.proto.v1.ServerGroup;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link DnsLookup} against a real dnsmasq. */
@Timeout(60)
class DnsLookupTest {
    private static final String SRV = "_redis._tcp.service.consul";

    @TempDir
    Path dir;
    private Dnsmasq dns;
    private final DnsLookup lookup = new DnsLookup();

    @BeforeEach
    void start() {
        Dnsmasq.require();
        dns = Dnsmasq.start(dir, List.of(
                Dnsmasq.srv(SRV, "ac1132cc.addr.dc1.consul", 6379, 1, 1),
                Dnsmasq.srv(SRV, "ac1132cb.addr.dc1.consul", 6380, 2, 5000),
                Dnsmasq.host("ac1132cc.addr.dc1.consul", "172.17.50.204"),
                Dnsmasq.host("ac1132cb.addr.dc1.consul", "172.17.50.203"),
                Dnsmasq.host("multi.test", "10.0.0.9"), Dnsmasq.host("multi.test", "10.0.0.2"),
                Dnsmasq.host("multi.test", "fd00::5")));
    }

    @AfterEach
    void stop() {
        lookup.close();
        if (dns != null) {
            dns.close();
        }
    }

    private List<DiscoveredServer> resolve(String source, String resolvers) throws Exception {
        ServerGroup group = ServerGroup.newBuilder().setName("g").setDiscovery(source).setDiscoveryResolver(resolvers)
                .setDiscoveryTimeoutMs(300).build();
        return lookup.lookup(DiscoverySettings.of(group)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void srvRecordsBecomeServersWithTheirTargetsPortsWeightsAndPriorities() throws Exception {
        assertEquals(List.of(
                new DiscoveredServer("ac1132cb.addr.dc1.consul:6380", "172.17.50.203:6380", 1000, 2),
                new DiscoveredServer("ac1132cc.addr.dc1.consul:6379", "172.17.50.204:6379", 1, 1)),
                resolve("srv:" + SRV, dns.address()));
    }

    @Test
    void aHostNameGivesAServerPerAddressAndAnUnknownNameIsAnEmptyAnswer() throws Exception {
        assertEquals(List.of("10.0.0.2:6379", "10.0.0.9:6379", "fd00::5:6379"),
                resolve("dns:multi.test:6379", dns.address()).stream().map(DiscoveredServer::name).toList());
        assertEquals("[fd00::5]:6379", resolve("dns:multi.test:6379", dns.address()).get(2).address());
        assertEquals(List.of(), resolve("srv:_nothing._tcp.service.consul", dns.address()));
        assertEquals(List.of(), resolve("dns:nothing.test:80", dns.address()));
    }

    @Test
    void anAnswerTooLargeForUdpArrivesOverTcp() throws Exception {
        List<String> records = new java.util.ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            records.add(Dnsmasq.srv("_big._tcp.service.consul", "node-" + i + ".addr.dc1.consul", 7000 + i, 1, 1));
            records.add(Dnsmasq.host("node-" + i + ".addr.dc1.consul", "10.1.0." + i));
        }
        dns.restart(records);
        List<DiscoveredServer> servers = resolve("srv:_big._tcp.service.consul", dns.address());
        assertEquals(120, servers.size());
        assertTrue(servers.contains(new DiscoveredServer("node-77.addr.dc1.consul:7077", "10.1.0.77:7077", 1, 1)));
    }

    @Test
    void aSilentResolverFailsNamingItAndTheNextOneIsAsked() throws Exception {
        String silent = "127.0.0.1:" + Ports.free();
        ExecutionException e = assertThrows(ExecutionException.class, () -> resolve("srv:" + SRV, silent));
        assertInstanceOf(LookupFailedException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith("SRV " + SRV + " at " + silent + ": "), e.getCause().getMessage());
        assertEquals(2, resolve("srv:" + SRV, silent + "," + dns.address()).size());
    }
}
