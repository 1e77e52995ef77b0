package dev.sluice.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code --password} as every command takes it: a value, or no value to be asked on the terminal.
 * A NUL cannot be part of a command-line argument, so {@link #ASK} is never mistaken for a real
 * password.
 */
final class PasswordOption {
    /** What {@code --password} holds when given without a value (picocli's fallback value). */
    static final String ASK = "\u0000ask";

    private PasswordOption() {
    }

    /**
     * The password to use: {@code given} itself, or the terminal's answer when it is {@link #ASK}.
     * Without a terminal (piped, in CI) there is nobody to ask: a prompt on stdout would end up in
     * the output and an answer would be read from whatever stdin is, so this is a usage error.
     */
    static String resolve(String given, SluiceCli cli, CommandSpec spec, String user, String url) {
        if (!ASK.equals(given)) {
            return given;
        }
        SluiceCli.PasswordPrompt prompt = cli.passwordPrompt();
        if (prompt == null) {
            throw new ParameterException(spec.commandLine(), "--password without a value asks on the terminal, and"
                    + " there is none; give the value (--password=SECRET)");
        }
        char[] answer = prompt.read("Password for " + (user == null ? "" : user + " at ")
                + ConnectionTarget.external(url, null, null).description() + ": ");
        if (answer == null) {
            throw new ParameterException(spec.commandLine(), "no password was entered");
        }
        return new String(answer);
    }
}
