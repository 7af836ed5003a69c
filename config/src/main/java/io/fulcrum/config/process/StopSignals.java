package io.fulcrum.config.process;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * How a Fulcrum node process reacts to SIGTERM and SIGINT: the first asks for a graceful stop
 * ({@code onFirst} runs, once, on the JVM's signal thread and must return quickly, e.g. by
 * counting a latch down); any later one ends the process at once, with exit status 128 + the
 * signal number (143 for SIGTERM, 130 for SIGINT), without running shutdown hooks.
 *
 * <p>Signal handlers rather than a shutdown hook: a hook runs once the JVM is already exiting
 * and never sees a second signal. SIGKILL still simply kills. SIGQUIT (thread dump) and
 * SIGUSR1/SIGUSR2 (the JVM's) are left alone.
 */
public final class StopSignals {
    private StopSignals() {
    }

    /**
     * Installs the handlers for this process (the last installation wins).
     *
     * @param onFirst what the first SIGTERM or SIGINT does; gets the signal's name ("TERM", "INT")
     */
    public static void install(java.util.function.Consumer<String> onFirst) {
        AtomicBoolean asked = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (asked.compareAndSet(false, true)) {
                    onFirst.accept(signal.getName());
                } else {
                    System.err.println("fulcrum: second SIG" + signal.getName() + ": exiting now");
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
            });
        }
    }
}
