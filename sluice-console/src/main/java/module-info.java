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
    // Optional: SluiceConsole.Builder.doctor takes a check that returns a DoctorReport; only DoctorView
    // touches it, and only when a check was given, so the console runs without sluice-doctor.
    requires static transitive dev.sluice.doctor;

    exports dev.sluice.console;
}
