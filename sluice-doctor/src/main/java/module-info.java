/**
 * Checks a Sluice (or HikariCP) pool configuration against the database server it will run on:
 * {@link dev.sluice.doctor.Doctor}. Reads only the core's public API; the rules and the server
 * reader live in {@code dev.sluice.doctor.internal}, which is not exported.
 */
module dev.sluice.doctor {
    // Transitive: Doctor's builder takes a SluiceConfig and DoctorException carries a FailureReason.
    requires transitive dev.sluice.core;
    // Optional: on Unix JDKs it tells the file-descriptor rule how many descriptors the process may open.
    requires static jdk.management;

    exports dev.sluice.doctor;
}
