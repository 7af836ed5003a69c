package io.fulcrum.it;

import io.fulcrum.config.testing.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless: loads a page, lets its scripts run for a virtual-time budget,
 * then prints the DOM or writes a screenshot. Each run is bounded in real time and killed past it.
 */
final class HeadlessChromium {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long RUN_SECONDS = 60;

    private final Path profile;

    private HeadlessChromium(Path profile) {
        this.profile = profile;
    }

    /** Skips without chromium, fails without it where CI=true (.ci/run installs it). */
    static HeadlessChromium require(Path dir) {
        Preconditions.requireExecutable(BINARY.toString(), "apt-get install chromium");
        return new HeadlessChromium(dir.resolve("chromium-profile"));
    }

    /** The DOM after the page's scripts ran for about {@code budgetMs} of virtual time. */
    String dumpDom(String url, int budgetMs) {
        return run(List.of("--dump-dom", "--virtual-time-budget=" + budgetMs, url));
    }

    /** A PNG of the page at 1280×1600, after about {@code budgetMs} of virtual time. */
    void screenshot(String url, int budgetMs, Path file) {
        run(List.of("--screenshot=" + file, "--window-size=1280,1600", "--hide-scrollbars",
                "--virtual-time-budget=" + budgetMs, url));
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("chromium wrote no screenshot to " + file);
        }
    }

    private String run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
        command.addAll(args);
        try {
            Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("chromium did not finish within " + RUN_SECONDS + " s: " + command);
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running chromium", e);
        }
    }
}
