package dev.sluice.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command reports failure: one line on stderr that names the command and, for a bad
 * argument, the option; exit code 2 for usage errors and 1 for run-time failures. Never a stack
 * trace: a user who mistyped a duration should not have to read one. Set {@code SLUICE_DEBUG=1}
 * to get the trace after the line when diagnosing the CLI itself.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    private final boolean debug;

    ErrorReporter(boolean debug) {
        this.debug = debug;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String command = cmd.getCommandSpec().qualifiedName();
        PrintWriter err = cmd.getErr();
        err.println(command + ": " + describe(ex, cmd) + " (see '" + command + " --help')");
        traceIfDebugging(err, ex);
        err.flush();
        return ExitCode.USAGE;
    }

    /** Picocli's words, except for a mistyped command, which it calls an "unmatched argument". */
    private static String describe(ParameterException ex, CommandLine cmd) {
        if (ex instanceof UnmatchedArgumentException unmatched && !cmd.getSubcommands().isEmpty()
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "'; the commands are "
                    + String.join(", ", cmd.getSubcommands().keySet());
        }
        return ex.getMessage();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        String command = cmd.getCommandSpec().qualifiedName();
        PrintWriter err = cmd.getErr();
        if (ex instanceof CommandFailure) {
            err.println(command + ": " + ex.getMessage());
        } else {
            // A bug in the CLI rather than a problem with the database: say so, briefly.
            err.println(command + ": internal error: " + ex + " (set SLUICE_DEBUG=1 for the stack trace)");
        }
        traceIfDebugging(err, ex);
        err.flush();
        return ExitCode.SOFTWARE;
    }

    private void traceIfDebugging(PrintWriter err, Exception ex) {
        if (debug) {
            ex.printStackTrace(err);
        }
    }
}
