package io.fulcrum.dataplane.lifecycle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fulcrum.dataplane.lifecycle.UnusableLastGoodException.Kind;
import io.fulcrum.proto.v1.Config;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The bytes of a last-good file (format 1, all integers big-endian; docs/data-plane.md):
 *
 * <pre>
 * magic          8 bytes  ASCII "FULCRMLG"
 * format         u16      1
 * node id        u16 length + UTF-8
 * cluster id     u16 length + UTF-8
 * version        i64      the config's version
 * saved at       i64      Unix milliseconds
 * payload length u32
 * payload        the serialized fulcrum.v1.Config (its cluster_id and version equal the header's)
 * checksum       32 bytes SHA-256 of every byte before it, magic to payload
 * </pre>
 *
 * Stateless; both methods are thread-safe.
 */
public final class LastGoodFile {
    static final byte[] MAGIC = "FULCRMLG".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    private static final int CHECKSUM_BYTES = 32;

    private LastGoodFile() {
    }

    /** The file's bytes for {@code lastGood}. */
    public static byte[] encode(LastGood lastGood) {
        byte[] payload = lastGood.config().toByteArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeShort(FORMAT);
            writeText(out, lastGood.nodeId());
            writeText(out, lastGood.clusterId());
            out.writeLong(lastGood.version());
            out.writeLong(lastGood.savedAtMillis());
            out.writeInt(payload.length);
            out.write(payload);
            out.write(sha256(bytes.toByteArray(), bytes.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from memory
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a file's bytes.
     *
     * @throws UnusableLastGoodException with what is wrong, if the bytes are not a whole, intact
     *                                   last-good file of format 1
     */
    public static LastGood decode(byte[] file) {
        if (file.length < MAGIC.length + 2) {
            boolean ours = Arrays.equals(file, 0, file.length, MAGIC, 0, Math.min(file.length, MAGIC.length));
            throw new UnusableLastGoodException(ours ? Kind.CORRUPT : Kind.FOREIGN,
                    ours ? "truncated: " + file.length + " bytes" : "not a last-good file (no FULCRMLG magic)");
        }
        if (!Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new UnusableLastGoodException(Kind.FOREIGN, "not a last-good file (no FULCRMLG magic)");
        }
        ByteBuffer in = ByteBuffer.wrap(file).position(MAGIC.length);
        int format = Short.toUnsignedInt(in.getShort());
        if (format != FORMAT) {
            throw new UnusableLastGoodException(Kind.FOREIGN, "format: " + format + " (expected: " + FORMAT + ")");
        }
        try {
            String nodeId = readText(in);
            String clusterId = readText(in);
            long version = in.getLong();
            long savedAt = in.getLong();
            long payloadLength = Integer.toUnsignedLong(in.getInt());
            long expectedSize = in.position() + payloadLength + CHECKSUM_BYTES;
            if (expectedSize != file.length) {
                throw corrupt((expectedSize > file.length ? "truncated: " : "trailing bytes: ") + file.length
                        + " bytes, the header says " + expectedSize);
            }
            int payloadStart = in.position();
            checkSum(file, payloadStart + (int) payloadLength);
            Config config = parse(file, payloadStart, (int) payloadLength);
            if (config.getVersion() != version || !config.getClusterId().equals(clusterId)) {
                throw corrupt("the header says version " + version + " of cluster " + clusterId + ", the config says version "
                        + config.getVersion() + " of cluster " + config.getClusterId());
            }
            return new LastGood(nodeId, clusterId, version, savedAt, config);
        } catch (BufferUnderflowException e) {
            throw corrupt("truncated: " + file.length + " bytes, cut inside the header");
        }
    }

    private static void checkSum(byte[] file, int checkedLength) {
        byte[] expected = Arrays.copyOfRange(file, checkedLength, checkedLength + CHECKSUM_BYTES);
        byte[] actual = sha256(file, checkedLength);
        if (!MessageDigest.isEqual(expected, actual)) {
            throw corrupt("checksum mismatch: SHA-256 " + HexFormat.of().formatHex(actual, 0, 8) + "..., the file says "
                    + HexFormat.of().formatHex(expected, 0, 8) + "...");
        }
    }

    private static Config parse(byte[] file, int offset, int length) {
        try {
            return Config.parseFrom(ByteBuffer.wrap(file, offset, length));
        } catch (InvalidProtocolBufferException e) {
            throw corrupt("the payload is not a fulcrum.v1.Config: " + e.getMessage());
        }
    }

    private static UnusableLastGoodException corrupt(String message) {
        return new UnusableLastGoodException(Kind.CORRUPT, message);
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("text of " + bytes.length + " bytes (expected: at most 65535)");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static String readText(ByteBuffer in) {
        byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
