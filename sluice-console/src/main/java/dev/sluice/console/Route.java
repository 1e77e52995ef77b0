package dev.sluice.console;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the console's route table: method, path pattern, who may call it, and the handler.
 * The table is data so that the security tests walk every route the server has instead of a list
 * someone must remember to extend: a new route without an {@link Access} cannot be added.
 *
 * @param method  GET or POST
 * @param pattern a path whose segments are literal or {@code {pool}} (one URL-decoded segment)
 * @param access  what a request must carry to reach the handler
 */
record Route(String method, String pattern, Access access, Handler handler) {

    /** What a request must carry; each level includes the ones before it. */
    enum Access {
        /** The login page and static files: nothing about any pool. */
        PUBLIC,
        /** Pool data: a valid token or session. */
        READ,
        /** Changes the console session (logout): READ, plus the page's CSRF token and a matching Origin. */
        WRITE,
        /** Changes a pool: WRITE, and only when the console was started with {@code actions(true)}. */
        ACTION
    }

    @FunctionalInterface
    interface Handler {
        void handle(ConsoleRequest request) throws IOException;
    }

    /** The path parameters if {@code path} matches this route's pattern, else null. */
    Map<String, String> match(String path) {
        List<String> want = List.of(pattern.split("/", -1));
        List<String> got = List.of(path.split("/", -1));
        if (want.size() != got.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            if (w.startsWith("{") && w.endsWith("}")) {
                if (got.get(i).isEmpty()) {
                    return null;
                }
                params.put(w.substring(1, w.length() - 1), URLDecoder.decode(got.get(i), StandardCharsets.UTF_8));
            } else if (!w.equals(got.get(i))) {
                return null;
            }
        }
        return params;
    }
}
