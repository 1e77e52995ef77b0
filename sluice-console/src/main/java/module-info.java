/**
 * A live, authenticated web console for Sluice pools: {@link dev.sluice.console.SluiceConsole}.
 * Reads only the core's public API; everything but {@code SluiceConsole} and
 * {@code ConsolePassword} is package-private.
 */
module dev.sluice.console {
    // Transitive: SluiceConsole.Builder.register takes a SluiceDataSource.
    requires transitive dev.sluice.core;
    // Both are modules of the JDK: its HTTP server, and java.util.logging for the audit log.
    requires jdk.httpserver;
    requires java.logging;

    exports dev.sluice.console;
}
