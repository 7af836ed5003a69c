package io.fulcrum.dataplane.lifecycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fulcrum.proto.v1.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class LastGoodStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private LastGoodStore store() {
        return new LastGoodStore(dir.resolve("dp1"), CLOCK);
    }

    @Test
    void aSavedConfigLoadsBackWithItsHeader() {
        LastGood saved = LastGood.of("dp1", LastGoodConfigs.small(12), 1_700_000_000_000L);
        store().save(saved);

        assertEquals(Optional.of(saved), store().load("dp1"));
        assertEquals(saved, LastGoodFile.decode(LastGoodFile.encode(saved)));
    }

    @Test
    void aSaveReplacesThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
        store().save(LastGood.of("dp1", LastGoodConfigs.small(12), 1));
        store().save(LastGood.of("dp1", LastGoodConfigs.small(13), 2));

        assertEquals(13, store().load("dp1").orElseThrow().version());
        assertEquals(List.of(LastGoodStore.FILE_NAME), names());
    }

    @Test
    void aLeftoverTemporaryFileIsIgnoredAndCleanedUp() throws IOException {
        store().save(LastGood.of("dp1", LastGoodConfigs.small(12), 1));
        // a crash between write and rename leaves a temporary file, maybe half written
        byte[] newer = LastGoodFile.encode(LastGood.of("dp1", LastGoodConfigs.small(13), 2));
        Files.write(dir.resolve("dp1").resolve("lastgood.pb.123456.tmp"), Arrays.copyOf(newer, newer.length / 2));

        assertEquals(12, store().load("dp1").orElseThrow().version());
        assertEquals(List.of(LastGoodStore.FILE_NAME), names());
    }

    @Test
    void noFileIsAnEmptyStart() {
        assertEquals(Optional.empty(), store().load("dp1"));
    }

    @Test
    void aFlippedByteIsACorruptFileMovedAside() throws IOException {
        byte[] bytes = saveAndRead(12);
        bytes[bytes.length / 2] ^= 1;
        assertCorrupt(bytes, "checksum mismatch", "corrupt");
    }

    @Test
    void aTruncatedFileIsCorrupt() throws IOException {
        byte[] bytes = saveAndRead(12);
        assertCorrupt(Arrays.copyOf(bytes, bytes.length - 1), "truncated", "corrupt");
        assertCorrupt(Arrays.copyOf(bytes, 20), "truncated", "corrupt");
        assertCorrupt(Arrays.copyOf(bytes, 3), "truncated", "corrupt");
        assertCorrupt(new byte[0], "truncated", "corrupt");
    }

    @Test
    void anUnparsablePayloadWithAValidChecksumIsCorrupt() throws IOException {
        // an empty config serializes to no bytes: its file is the header, then the checksum
        byte[] empty = LastGoodFile.encode(new LastGood("dp1", "", 0, 1, Config.getDefaultInstance()));
        int header = empty.length - 32;
        byte[] payload = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        byte[] bytes = Arrays.copyOf(empty, header + payload.length + 32);
        ByteBuffer.wrap(bytes, header - 4, 4).putInt(payload.length);
        System.arraycopy(payload, 0, bytes, header, payload.length);
        System.arraycopy(sha256(bytes, header + payload.length), 0, bytes, header + payload.length, 32);
        assertCorrupt(bytes, "not a fulcrum.v1.Config", "corrupt");
    }

    @Test
    void aHeaderThatDisagreesWithItsConfigIsCorrupt() {
        byte[] bytes = LastGoodFile.encode(new LastGood("dp1", LastGoodConfigs.CLUSTER, 99, 1, LastGoodConfigs.small(12)));
        UnusableLastGoodException e = assertThrows(UnusableLastGoodException.class, () -> LastGoodFile.decode(bytes));
        assertTrue(e.getMessage().contains("the header says version 99"), e.getMessage());
    }

    @Test
    void aFileOfAnotherKindOrFormatIsForeignAndMovedAside() throws IOException {
        assertCorrupt("servers=127.0.0.1:7001\n".getBytes(StandardCharsets.UTF_8), "no FULCRMLG magic", "foreign");
        byte[] future = saveAndRead(12);
        future[9] = 2; // format 2
        assertCorrupt(future, "format: 2 (expected: 1)", "foreign");
    }

    @Test
    void aFileOfAnotherNodeIsUsed() {
        store().save(LastGood.of("dp7", LastGoodConfigs.small(12), 1));
        assertEquals("dp7", store().load("dp1").orElseThrow().nodeId());
    }

    @Test
    void aDirectoryThatCannotBeMadeFailsTheSaveAndKeepsNothingHalfWritten() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        LastGoodStore store = new LastGoodStore(notADirectory.resolve("dp1"), CLOCK);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> store.save(LastGood.of("dp1", LastGoodConfigs.small(12), 1)));
        assertTrue(e.getMessage().contains("cannot save " + notADirectory.resolve("dp1").resolve("lastgood.pb")), e.getMessage());
    }

    @Test
    void aLargeConfigSavesAtTheSpeedOfOneFsync() {
        Config large = LastGoodConfigs.sized(12, 300);
        int bytes = large.getSerializedSize();
        assertTrue(bytes > 280_000 && bytes < 400_000, "about 300 KB: " + bytes);
        LastGoodStore store = store();
        store.save(LastGood.of("dp1", large, 1)); // warm up
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            store.save(LastGood.of("dp1", large, 1));
            best = Math.min(best, System.nanoTime() - started);
        }
        assertEquals(large, store.load("dp1").orElseThrow().config());
        System.out.printf("last-good save of a %,d-byte config: %.1f ms (best of 5)%n", bytes, best / 1e6);
    }

    private byte[] saveAndRead(long version) throws IOException {
        store().save(LastGood.of("dp1", LastGoodConfigs.small(version), 1));
        return Files.readAllBytes(store().file());
    }

    /** Writes {@code bytes} as the file: the load is empty, the file moved aside with {@code kind} in its name. */
    private void assertCorrupt(byte[] bytes, String reason, String kind) throws IOException {
        Files.createDirectories(store().file().getParent());
        Files.write(store().file(), bytes);
        if (bytes.length > 0) {
            UnusableLastGoodException e = assertThrows(UnusableLastGoodException.class, () -> LastGoodFile.decode(bytes));
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
        assertEquals(Optional.empty(), store().load("dp1"));
        assertFalse(Files.exists(store().file()));
        Path aside = store().file().resolveSibling("lastgood.pb." + kind + "-20250301T101530.000Z");
        assertArrayEquals(bytes, Files.readAllBytes(aside), "kept for inspection");
        Files.delete(aside);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("dp1"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
