package dev.sluice.console;

import java.nio.charset.StandardCharsets;

/** The page a failed login gets (with status 401): fixed text, nothing of the request echoed. */
final class LoginPage {
    private static final byte[] FAILED = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Sluice console: login failed</title><link rel=\"stylesheet\" href=\"/assets/console.css\"></head>"
            + "<body class=\"login\"><main><h1>Sluice console</h1><p class=\"error\" id=\"login-failed\">"
            + "Wrong token or password.</p><p><a href=\"/login\">Try again</a></p></main></body></html>")
            .getBytes(StandardCharsets.UTF_8);

    private LoginPage() {
    }

    static byte[] failed() {
        return FAILED.clone();
    }
}
