package io.fulcrum.controlplane.discovery;

import io.fulcrum.config.schema.Names;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The names of discovered servers: stable across resolutions, so a server that stays keeps its
 * name, and with it its health on every data plane. An SRV record's server is named
 * {@code TARGET:PORT}; a host name's address {@code IP:PORT} (IPv6 without brackets).
 */
final class ServerNames {
    private ServerNames() {
    }

    static String ofTarget(String target, int port) {
        return fit(target + ":" + port);
    }

    static String ofAddress(String ip, int port) {
        // "::1" would start with ':'; "0::1" is the same address and a valid name
        return fit((ip.startsWith(":") ? "0" + ip : ip) + ":" + port);
    }

    /** Names longer than a name may be keep their start and a checksum of the whole. */
    private static String fit(String name) {
        if (Names.isValid(name)) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        String cleaned = name.replaceAll("[^A-Za-z0-9._:-]", "-");
        return cleaned.substring(0, Math.min(cleaned.length(), 119)) + "-" + String.format("%08x", crc.getValue());
    }
}
