package dev.sluice.console;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for a console under test: requests by method and path, with or without credentials. */
final class ConsoleHttp {
    final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final SluiceConsole console;

    ConsoleHttp(SluiceConsole console) {
        this.console = console;
    }

    String origin() {
        String u = console.url().toString();
        return u.substring(0, u.length() - 1);
    }

    HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return send(request(method, path, null));
    }

    HttpResponse<String> bearer(String method, String path, String token) throws IOException, InterruptedException {
        return send(request(method, path, null).header("Authorization", "Bearer " + token));
    }

    HttpResponse<String> login(String secret, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("POST", "/login", "secret=" + java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b);
    }

    /** Logs in with {@code secret}; returns the "name=value" cookie. */
    String sessionCookie(String secret) throws IOException, InterruptedException {
        HttpResponse<String> r = login(secret, origin());
        if (r.statusCode() != 303) {
            throw new AssertionError("login answered " + r.statusCode() + ": " + r.body());
        }
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** Opens the live stream; the caller reads and closes it. */
    HttpResponse<InputStream> live(String token) throws IOException, InterruptedException {
        return client.send(request("GET", "/api/live", null).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }
}
