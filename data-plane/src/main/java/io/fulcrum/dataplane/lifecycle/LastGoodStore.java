package io.fulcrum.dataplane.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last-good file of one node: {@code DIR/lastgood.pb} in the {@link LastGoodFile} format.
 * {@link #save} replaces it atomically (a temporary file in the same directory, fsync, rename,
 * fsync of the directory), so a crash leaves the previous file or the new one, never a mix; a
 * leftover temporary file is never read. One node per directory. Not thread-safe: one writer.
 */
public final class LastGoodStore {
    public static final String FILE_NAME = "lastgood.pb";
    private static final Logger log = LoggerFactory.getLogger(LastGoodStore.class);
    private static final String TEMP_PREFIX = FILE_NAME + ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final long MAX_BYTES = 256L << 20;
    private static final DateTimeFormatter ASIDE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Clock clock;

    /** @param dir the node's state directory; created (mode 700) at the first {@link #save} */
    public LastGoodStore(Path dir, Clock clock) {
        this.dir = dir.toAbsolutePath();
        this.clock = clock;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    /**
     * The saved config, if there is a usable one. Never throws: an unreadable, corrupt or foreign
     * file is logged in one WARN line, moved aside ({@code lastgood.pb.corrupt-TIME} or
     * {@code lastgood.pb.foreign-TIME}) and reads as empty. A file written by another node id is
     * used, with a WARN line (the config is the cluster's, the same for all its nodes). Leftover
     * temporary files of an interrupted save are deleted.
     *
     * @param nodeId this node's id, compared with the file's
     */
    public Optional<LastGood> load(String nodeId) {
        deleteLeftoverTemporaryFiles();
        Path file = file();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                return moveAside(file, UnusableLastGoodException.Kind.CORRUPT, Files.size(file) + " bytes (expected: at most "
                        + MAX_BYTES + ")");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read the last-good config {}: {}; starting without it", file, e.toString());
            return Optional.empty();
        }
        LastGood lastGood;
        try {
            lastGood = LastGoodFile.decode(bytes);
        } catch (UnusableLastGoodException e) {
            return moveAside(file, e.kind(), e.getMessage());
        }
        if (!lastGood.nodeId().equals(nodeId)) {
            log.warn("the last-good config {} was saved by node {}, this is node {}; using it (a config is the same for every "
                    + "node of a cluster)", file, lastGood.nodeId(), nodeId);
        }
        return Optional.of(lastGood);
    }

    /**
     * Replaces the file with {@code lastGood}, durably (fsync of the file and of the directory).
     *
     * @throws UncheckedIOException when the directory or the file cannot be written; the previous
     *                              file, if any, is then untouched
     */
    public void save(LastGood lastGood) {
        byte[] bytes = LastGoodFile.encode(lastGood);
        Path temp = null;
        try {
            createDirectory();
            temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + file() + ": " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the next load deletes it
                }
            }
        }
    }

    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private Optional<LastGood> moveAside(Path file, UnusableLastGoodException.Kind kind, String why) {
        Path aside = file.resolveSibling(FILE_NAME + "." + (kind == UnusableLastGoodException.Kind.FOREIGN ? "foreign" : "corrupt")
                + "-" + ASIDE_TIME.format(clock.instant()));
        try {
            Files.move(file, aside);
            log.warn("ignoring the last-good config {}: {}; moved it to {}; starting empty until a control plane answers",
                    file, why, aside.getFileName());
        } catch (IOException e) {
            log.warn("ignoring the last-good config {}: {}; cannot move it aside ({}); starting empty until a control plane "
                    + "answers", file, why, e.toString());
        }
        return Optional.empty();
    }

    private void deleteLeftoverTemporaryFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
                log.debug("deleted {}, left by an interrupted save", temp);
            }
        } catch (IOException e) {
            log.debug("cannot clean up temporary files in {}: {}", dir, e.toString());
        }
    }
}
