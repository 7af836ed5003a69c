package io.fulcrum.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts Fulcrum's real launch classes as separate JVM processes, each with only its own module's
 * jar and dependencies on the class path (the data plane runs without the control plane's jar).
 */
final class Launcher {
    private Launcher() {
    }

    static Path root() {
        String root = System.getProperty("fulcrum.root");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
    }

    /** module/target/fulcrum-*.jar plus module/target/lib/*, as `mvn package` leaves them. */
    static String classpath(String module) {
        Path target = root().resolve(module).resolve("target");
        try (Stream<Path> jars = Files.list(target)) {
            Path jar = jars.filter(p -> p.getFileName().toString().matches("fulcrum-.*-SNAPSHOT\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": run mvn package first"));
            return jar + File.pathSeparator + target.resolve("lib") + File.separator + "*";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code mainClass} of {@code module}; stdout and stderr go to {@code log}. */
    static Process start(String module, String mainClass, List<String> args, Path log) {
        return start(module, mainClass, args, log, List.of());
    }

    /** As {@link #start(String, String, List, Path)}, the command prefixed by {@code prefix} (e.g. ip netns exec NS). */
    static Process start(String module, String mainClass, List<String> args, Path log, List<String> prefix) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Dsofa.middleware.log.disable=true",
                "-Dcom.google.protobuf.use_unsafe_pre22_gencode=true", "-cp", classpath(module), mainClass));
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
