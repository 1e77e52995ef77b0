package dev.sluice.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Server-Sent Events clients: at most {@code max} at once (the next gets 503), each fed the
 * document the sampler built once for everybody. Each client is served on its own server thread
 * from a small queue, so one slow browser delays only itself: when its queue is full the oldest
 * update is dropped (the next one carries the whole state anyway).
 */
final class LiveClients {
    /** A comment line every so often keeps proxies from closing an idle stream and finds dead clients. */
    static final long KEEPALIVE_SECONDS = 15;
    /** Never a real event (those are never empty): tells a client loop to end. */
    private static final String CLOSE = "";

    private final Semaphore slots;
    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    LiveClients(int max) {
        this.slots = new Semaphore(max);
    }

    int connected() {
        return clients.size();
    }

    /** Sends {@code event} to every client. */
    void broadcast(String event) {
        for (BlockingQueue<String> q : clients) {
            while (!q.offer(event)) {
                q.poll();
            }
        }
    }

    /** Serves one client until it goes away or the console closes; 503 when all slots are taken. */
    void serve(ConsoleRequest request, Supplier<String> firstEvent) throws IOException {
        if (closed || !slots.tryAcquire()) {
            request.exchange.getResponseHeaders().set("Retry-After", "5");
            request.text(503, "too many live clients: this console serves at most "
                    + (slots.availablePermits() + clients.size()) + " at once; close another console tab or raise maxLiveClients");
            return;
        }
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(4);
        try {
            request.exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            request.exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = request.exchange.getResponseBody()) {
                clients.add(queue);
                write(out, firstEvent.get());
                while (!closed) {
                    String event = queue.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
                    if (event != null && event.isEmpty()) {
                        break;
                    }
                    write(out, event != null ? event : ": keepalive\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException goneAway) {
            // The browser closed the tab or the network dropped: normal end of a live stream.
        } finally {
            clients.remove(queue);
            slots.release();
            request.exchange.close();
        }
    }

    private static void write(OutputStream out, String event) throws IOException {
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** An SSE frame: one event type, a JSON document on one line. */
    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }

    void close() {
        closed = true;
        for (BlockingQueue<String> q : clients) {
            while (!q.offer(CLOSE)) {
                q.poll(); // a pending update makes room: the client is leaving anyway
            }
        }
    }
}
