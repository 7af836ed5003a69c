package io.fulcrum.controlplane.discovery;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one DNS response said, copied out of netty's reference-counted message.
 *
 * @param srv       the SRV records of the answer section
 * @param answered  every A/AAAA address of the answer section (a CNAME chain's end included)
 * @param addresses A/AAAA addresses of the answer and additional sections by owner name
 */
record DnsReply(DnsResponseCode code, List<Srv> srv, List<InetAddress> answered, Map<String, List<InetAddress>> addresses) {

    /** One SRV record; {@code target} lower case without the trailing dot. */
    record Srv(int priority, int weight, int port, String target) {
    }

    boolean isEmptyAnswer() {
        return code.equals(DnsResponseCode.NXDOMAIN);
    }

    static DnsReply of(DnsResponse response) {
        List<Srv> srv = new ArrayList<>();
        List<InetAddress> answered = new ArrayList<>();
        Map<String, List<InetAddress>> addresses = new HashMap<>();
        for (DnsSection section : new DnsSection[] {DnsSection.ANSWER, DnsSection.ADDITIONAL}) {
            for (int i = 0; i < response.count(section); i++) {
                DnsRecord record = response.recordAt(section, i);
                if (!(record instanceof DnsRawRecord raw)) {
                    continue;
                }
                if (record.type() == DnsRecordType.SRV && section == DnsSection.ANSWER) {
                    srv.add(srv(raw.content()));
                } else if (record.type() == DnsRecordType.A || record.type() == DnsRecordType.AAAA) {
                    InetAddress address = address(raw.content());
                    if (address != null) {
                        addresses.computeIfAbsent(normalize(record.name()), n -> new ArrayList<>()).add(address);
                        if (section == DnsSection.ANSWER) {
                            answered.add(address);
                        }
                    }
                }
            }
        }
        return new DnsReply(response.code(), srv, answered, addresses);
    }

    private static Srv srv(ByteBuf content) {
        ByteBuf data = content.duplicate();
        int priority = data.readUnsignedShort();
        int weight = data.readUnsignedShort();
        int port = data.readUnsignedShort();
        return new Srv(priority, weight, port, normalize(DefaultDnsRecordDecoder.decodeName(data)));
    }

    private static InetAddress address(ByteBuf content) {
        int length = content.readableBytes();
        if (length != 4 && length != 16) {
            return null;
        }
        byte[] bytes = new byte[length];
        content.getBytes(content.readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
