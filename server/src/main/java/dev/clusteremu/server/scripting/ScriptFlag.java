package dev.clusteremu.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import dev.clusteremu.server.resp.InlineArgs;

/**
 * The flags a script declares in its shebang ({@code #!lua flags=no-writes,allow-oom}) or a function in
 * redis.register_function (scripts_flags_def in script.c), in Redis's order, which FUNCTION LIST keeps.
 */
public enum ScriptFlag {
    NO_WRITES("no-writes"),
    ALLOW_OOM("allow-oom"),
    ALLOW_STALE("allow-stale"),
    NO_CLUSTER("no-cluster"),
    ALLOW_CROSS_SLOT("allow-cross-slot-keys");

    private final String wireName;

    ScriptFlag(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The flag spelled {@code name} (exactly, or ignoring case for functions), or null. */
    public static ScriptFlag of(String name, boolean ignoreCase) {
        for (ScriptFlag f : values()) {
            if (ignoreCase ? f.wireName.equalsIgnoreCase(name) : f.wireName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * What an EVAL script's first line declares (evalExtractShebangFlags). {@code compat} is the
     * SCRIPT_FLAG_EVAL_COMPAT_MODE of a script with no shebang: it behaves as scripts did before 7.0.
     * {@code shebangLength} is the length of the shebang line without its newline, which is cut from the
     * code compiled (the newline stays, so line numbers do not move).
     */
    public record Shebang(EnumSet<ScriptFlag> flags, boolean compat, int shebangLength) {
    }

    /** A shebang Redis refuses, with its error text (without the ERR code). */
    public static final class ShebangError extends Exception {
        ShebangError(String message) {
            super(message, null, false, false);
        }
    }

    /** evalExtractShebangFlags. */
    public static Shebang parseEval(byte[] body) throws ShebangError {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Shebang(EnumSet.noneOf(ScriptFlag.class), true, 0);
        }
        int end = indexOfNewline(body);
        if (end < 0) {
            throw new ShebangError("Invalid script shebang");
        }
        byte[][] parts = InlineArgs.split(body, 0, end);
        if (parts == null || parts.length == 0) {
            throw new ShebangError("Invalid engine in script shebang");
        }
        String engine = text(parts[0]);
        if (!engine.equals("#!lua")) {
            throw new ShebangError("Unexpected engine in script shebang: " + engine);
        }
        EnumSet<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
        for (int j = 1; j < parts.length; j++) {
            String part = text(parts[j]);
            if (!part.startsWith("flags=")) {
                throw new ShebangError("Unknown lua shebang option: " + part);
            }
            String list = part.substring(6);
            if (list.isEmpty()) {
                continue;
            }
            for (String name : list.split(",", -1)) {
                ScriptFlag f = of(name, false);
                if (f == null) {
                    throw new ShebangError("Unexpected flag in script shebang: " + name);
                }
                flags.add(f);
            }
        }
        return new Shebang(flags, false, end);
    }

    /** strchr(body, '\n'): the first newline of the C string, or -1. */
    static int indexOfNewline(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                return -1;
            }
            if (body[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
