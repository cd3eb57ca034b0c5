package dev.clusteremu.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Node log output that is kept back until {@link #release}, then written through. The launcher holds the
 * nodes' start-up lines this way so that the ready line is the first line on stdout: a script can wait
 * for it with {@code head -1} or {@code read}, and a person still sees every start-up line right below it.
 */
final class HeldOutput extends OutputStream {
    private final OutputStream target;
    private ByteArrayOutputStream held = new ByteArrayOutputStream();

    HeldOutput(OutputStream target) {
        this.target = target;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (held != null) {
            held.write(b);
        } else {
            target.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (held != null) {
            held.write(b, off, len);
        } else {
            target.write(b, off, len);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (held == null) {
            target.flush();
        }
    }

    /** Writes what was held and lets everything after it through unheld. Later calls do nothing. */
    synchronized void release() throws IOException {
        if (held != null) {
            held.writeTo(target);
            held = null;
            target.flush();
        }
    }
}
