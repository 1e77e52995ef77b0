module dev.sluice.console { requires transitive dev.sluice.core; requires jdk.httpserver; requires java.logging; exports dev.sluice.console; }
