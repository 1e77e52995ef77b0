package dev.sluice.console;

import dev.sluice.JdbcUrls;
import dev.sluice.doctor.DoctorReport;
import dev.sluice.doctor.Finding;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * The doctor's findings for the page: the check runs once, on a thread of its own when the console
 * starts (it connects to the database and may take up to its two-second budget, which must not
 * delay the first tick), and its document is kept. This is the only class that touches
 * {@code sluice-doctor}, an optional dependency: it is loaded only when a check was given, so the
 * console runs without the doctor on the class path.
 *
 * <p>Values are shown redacted: every text goes through {@link JdbcUrls#redact}, and a value whose
 * name says it is a secret is replaced whatever it holds.
 */
final class DoctorView {
    static final int MAX_TEXT = 600;
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(pass|secret|token|credential|key).*");

    private final Callable<DoctorReport> check;
    private volatile String document = new Json().object().field("state", "running").end().toString();

    DoctorView(Callable<DoctorReport> check) {
        this.check = check;
    }

    void start() {
        Thread t = new Thread(this::run, "sluice-console-doctor");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        try {
            DoctorReport report = check.call();
            if (report == null) {
                failed("the check returned no report");
            } else {
                document = document(report.target(), report.findings());
            }
        } catch (Exception e) {
            // A DoctorException's message is written for operators (and the URL in it is redacted by the doctor);
            // it is redacted again here in case another callable put a raw URL in its own exception.
            failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (LinkageError e) {
            failed("sluice-doctor is not on the class path");
        }
    }

    private void failed(String why) {
        document = new Json().object().field("state", "failed").field("error", clip(JdbcUrls.redact(why))).end().toString();
    }

    /** {@code {"state":"running"}}, {@code {"state":"failed","error":...}} or {@code {"state":"done","target":...,"findings":[...]}}. */
    String document() {
        return document;
    }

    static String document(String target, List<Finding> findings) {
        Json j = new Json().object().field("state", "done").field("target", clip(JdbcUrls.redact(target))).name("findings").array();
        for (Finding f : findings) {
            j.object().field("id", f.id()).field("severity", f.severity().label()).field("message", clip(JdbcUrls.redact(f.message())))
                    .field("fix", clip(JdbcUrls.redact(f.fix()))).field("link", f.link()).name("values").object();
            for (Map.Entry<String, Object> v : f.values().entrySet()) {
                j.name(v.getKey());
                if (SECRET_NAME.matcher(v.getKey()).matches()) {
                    j.value("<hidden>");
                } else if (v.getValue() instanceof String s) {
                    j.value(clip(JdbcUrls.redact(s)));
                } else {
                    j.raw(String.valueOf(v.getValue())); // a Long or a Boolean: Finding admits nothing else
                }
            }
            j.end().end();
        }
        return j.endArray().end().toString();
    }

    private static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "…";
    }
}
