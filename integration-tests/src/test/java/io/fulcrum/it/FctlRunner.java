package io.fulcrum.it;

import io.fulcrum.ctl.Fctl;
import io.fulcrum.ctl.cli.FctlContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs fctl in-process with its own environment, capturing stdout and stderr. */
final class FctlRunner {
    /** One run's exit code and output. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    private final Map<String, String> env;
    private final Path cwd;

    FctlRunner(Map<String, String> env, Path cwd) {
        this.env = env;
        this.cwd = cwd;
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FctlContext context = new FctlContext(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes()), env, cwd, cwd.resolve("home"), null);
        int code = new Fctl(context).run(args);
        return new Result(code, out.toString(), err.toString());
    }
}
