package dev.sluice.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line: its exit code and what it wrote. */
record CliRun(int exitCode, String out, String err) {

    /** Runs as if piped (no terminal), as in CI. */
    static CliRun of(String... args) {
        return run(false, null, args);
    }

    static CliRun onTerminal(String... args) {
        return run(true, null, args);
    }

    static CliRun run(boolean terminal, SluiceCli.PasswordPrompt prompt, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = SluiceCli.execute(new PrintWriter(out), new PrintWriter(err), terminal, prompt, false, args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
