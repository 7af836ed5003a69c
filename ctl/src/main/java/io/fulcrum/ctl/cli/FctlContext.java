package io.fulcrum.ctl.cli;

import io.fulcrum.ctl.connect.SharedConnection;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What fctl reads from and writes to: injected so tests run fctl in-process without touching the
 * real terminal, environment or {@code System.exit}.
 *
 * @param out    data (stdout)
 * @param err    diagnostics (stderr)
 * @param env    environment variables (FULCRUM_SERVER, FULCRUM_TOKEN)
 * @param cwd    where a local cluster's .fulcrum directory is looked for
 * @param home   the user's home (~/.fulcrum)
 * @param shared an open connection commands reuse (the shell's), or null: each opens its own
 */
public record FctlContext(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> env, Path cwd, Path home,
        SharedConnection shared) {

    public static FctlContext system() {
        return new FctlContext(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.in, System.getenv(),
                Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")), null);
    }

    /** The same context writing to other streams and sharing {@code shared}. */
    public FctlContext with(PrintWriter out, PrintWriter err, SharedConnection shared) {
        return new FctlContext(out, err, in, env, cwd, home, shared);
    }
}
