package dev.sluice.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One request as the handlers see it: the exchange, the matched path parameters, and who was
 * authenticated (a session, a bearer token, or nobody on public routes).
 */
final class ConsoleRequest {
    /** Forms here are a secret or two numbers; a larger body is refused before it is read whole. */
    static final int MAX_BODY = 4096;

    final HttpExchange exchange;
    final Map<String, String> params;
    /** Null unless the request came with a valid session cookie. */
    Sessions.Session session;
    /** Who, for the audit log: "session 1a2b3c4d" or "bearer token", with the peer address. */
    String who;

    ConsoleRequest(HttpExchange exchange, Map<String, String> params) {
        this.exchange = exchange;
        this.params = params;
    }

    InetAddress remote() {
        return exchange.getRemoteAddress().getAddress();
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The value of cookie {@code name}, or null. */
    String cookie(String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(name)) {
                    return p.substring(eq + 1);
                }
            }
        }
        return null;
    }

    /** An application/x-www-form-urlencoded body, at most {@link #MAX_BODY} bytes. */
    Map<String, String> form() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (InputStream in = exchange.getRequestBody()) {
            byte[] chunk = new byte[1024];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (buf.size() + n > MAX_BODY) {
                    throw new FormTooLarge();
                }
                buf.write(chunk, 0, n);
            }
        }
        Map<String, String> form = new HashMap<>();
        String body = buf.toString(StandardCharsets.UTF_8);
        if (!body.isEmpty()) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.put(k, v);
            }
        }
        return form;
    }

    /** A request body above {@link #MAX_BODY}: answered 413. */
    static final class FormTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        FormTooLarge() {
            super("request body larger than " + MAX_BODY + " bytes");
        }
    }

    void json(int status, String json) throws IOException {
        send(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A one-line plain-text answer: errors say what is wrong and what to do. */
    void text(int status, String message) throws IOException {
        send(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    void redirect(String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }
}
