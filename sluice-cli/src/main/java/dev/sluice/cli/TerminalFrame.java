package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * A block of lines redrawn in place on a terminal: ANSI cursor-up and erase-line, nothing
 * fancier, so any terminal emulator copes.
 */
final class TerminalFrame {
    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private int linesDrawn;

    TerminalFrame(PrintWriter out) {
        this.out = out;
    }

    /** Replaces the block drawn last (if any) with {@code lines}. */
    void redraw(List<String> lines) {
        StringBuilder b = new StringBuilder();
        if (linesDrawn > 0) {
            b.append(ESC).append(linesDrawn).append('F'); // to the start of the block's first line
        }
        for (String line : lines) {
            b.append(ESC).append("2K").append(line).append('\n');
        }
        out.print(b);
        out.flush();
        linesDrawn = lines.size();
    }
}
