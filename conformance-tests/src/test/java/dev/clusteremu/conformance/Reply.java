package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One reply as a Redis client sees it, with its RESP type preserved: an integer 1 and a bulk "1" are
 * different replies, and so are the RESP2 null bulk ({@code $-1}), the RESP2 null array ({@code *-1}) and
 * the RESP3 null ({@code _}).
 *
 * <p>Type names follow hiredis ({@code REDIS_REPLY_STATUS}, {@code ..._ERROR}, {@code ..._VERB} ...).
 * Equality is by value. {@link #toString()} is a compact canonical form meant for assertion messages:
 * <pre>
 *   +OK  -ERR syntax error  1  "bulk"  (nil)  (nil-array)  (null)  [1, "a"]  {"k": 1}  ~{1, 2}
 *   (double) 3.141  (true)  (verbatim txt) "text"  (bignum) 1234  &gt;["message", 1]  |{"k": 1} "reply"
 * </pre>
 * Status and error lines are kept as ISO-8859-1 text, one char per byte, so that no byte the server sent
 * is lost or merged by decoding; bytes outside printable ASCII print as {@code \xNN}.
 */
public sealed interface Reply {

    /** A simple string, {@code +OK}. */
    record Status(String text) implements Reply {
        @Override
        public String toString() {
            return "+" + escape(text.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** An error: a simple error ({@code -ERR ...}) or, with {@code blob}, a RESP3 blob error ({@code !}). */
    record Error(String text, boolean blob) implements Reply {
        @Override
        public String toString() {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            return blob ? "!\"" + escape(bytes) + "\"" : "-" + escape(bytes);
        }
    }

    /** An integer, {@code :1}. */
    record Int(long value) implements Reply {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A bulk string, {@code $1\r\nv\r\n}; binary safe. */
    record Bulk(byte[] bytes) implements Reply {
        public Bulk {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "\"" + escape(bytes) + "\"";
        }
    }

    /** The three distinct nulls a server can send. */
    enum Nil implements Reply {
        /** RESP2 null bulk string, {@code $-1}: GET of a missing key. */
        NULL_BULK("(nil)"),
        /** RESP2 null array, {@code *-1}: e.g. a blocking pop that timed out. */
        NULL_ARRAY("(nil-array)"),
        /** RESP3 null, {@code _}: every null once the client said HELLO 3. */
        NULL("(null)");

        private final String canonical;

        Nil(String canonical) {
            this.canonical = canonical;
        }

        @Override
        public String toString() {
            return canonical;
        }
    }

    /** An array, {@code *n}. */
    record Array(List<Reply> elements) implements Reply {
        public Array {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return join("[", elements, "]");
        }
    }

    /** A RESP3 map, {@code %n}, entries in the order the server sent them. */
    record Map(List<Entry> entries) implements Reply {
        public Map {
            entries = List.copyOf(entries);
        }

        @Override
        public String toString() {
            return join("{", entries, "}");
        }
    }

    /** A RESP3 set, {@code ~n}, elements in the order the server sent them. */
    record Set(List<Reply> elements) implements Reply {
        public Set {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return join("~{", elements, "}");
        }
    }

    /** A RESP3 double, {@code ,3.141}; kept as the text sent ({@code inf}, {@code -inf}, {@code nan} too). */
    record Double(String text) implements Reply {
        @Override
        public String toString() {
            return "(double) " + text;
        }
    }

    /** A RESP3 boolean, {@code #t} / {@code #f}. */
    record Bool(boolean value) implements Reply {
        @Override
        public String toString() {
            return value ? "(true)" : "(false)";
        }
    }

    /** A RESP3 verbatim string, {@code =15\r\ntxt:Some string\r\n}: a three-letter format and the text. */
    record Verbatim(String format, byte[] text) implements Reply {
        public Verbatim {
            text = text.clone();
        }

        @Override
        public byte[] text() {
            return text.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Verbatim other && format.equals(other.format) && Arrays.equals(text, other.text);
        }

        @Override
        public int hashCode() {
            return 31 * format.hashCode() + Arrays.hashCode(text);
        }

        @Override
        public String toString() {
            return "(verbatim " + format + ") \"" + escape(text) + "\"";
        }
    }

    /** A RESP3 big number, {@code (1234...}; kept as its digits. */
    record BigNumber(String digits) implements Reply {
        @Override
        public String toString() {
            return "(bignum) " + digits;
        }
    }

    /** A RESP3 push message, {@code >n}: out-of-band data such as pub/sub messages. */
    record Push(List<Reply> elements) implements Reply {
        public Push {
            elements = List.copyOf(elements);
        }

        @Override
        public String toString() {
            return join(">[", elements, "]");
        }
    }

    /**
     * A RESP3 attribute, {@code |n}, together with the reply it annotates: an attribute is not a reply
     * on its own, the real reply always follows it on the wire.
     */
    record Attribute(List<Entry> attributes, Reply reply) implements Reply {
        public Attribute {
            attributes = List.copyOf(attributes);
        }

        @Override
        public String toString() {
            return join("|{", attributes, "} ") + reply;
        }
    }

    /** One key/value pair of a map or an attribute; not a reply on its own. */
    record Entry(Reply key, Reply value) {
        @Override
        public String toString() {
            return key + ": " + value;
        }
    }

    /** {@code +text}. */
    static Reply status(String text) {
        return new Status(text);
    }

    /** {@code -text}, e.g. {@code error("ERR syntax error")}. */
    static Reply error(String text) {
        return new Error(text, false);
    }

    /** {@code :value}. */
    static Reply integer(long value) {
        return new Int(value);
    }

    /** A bulk string holding {@code text} in UTF-8. */
    static Reply bulk(String text) {
        return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An array of {@code elements}. */
    static Reply array(Reply... elements) {
        return new Array(List.of(elements));
    }

    /** True for simple and blob errors. */
    default boolean isError() {
        return this instanceof Error;
    }

    /**
     * The text of a string-like reply: status, error, bulk (decoded as UTF-8), verbatim (its text, without
     * the format), double and big number.
     *
     * @throws IllegalStateException for any other reply type
     */
    default String asString() {
        if (this instanceof Status s) {
            return s.text();
        } else if (this instanceof Error e) {
            return e.text();
        } else if (this instanceof Bulk b) {
            return new String(b.bytes, StandardCharsets.UTF_8);
        } else if (this instanceof Verbatim v) {
            return new String(v.text, StandardCharsets.UTF_8);
        } else if (this instanceof Double d) {
            return d.text();
        } else if (this instanceof BigNumber n) {
            return n.digits();
        }
        throw new IllegalStateException("not a string reply: " + this);
    }

    /**
     * The value of an integer reply.
     *
     * @throws IllegalStateException for any other reply type
     */
    default long asLong() {
        if (this instanceof Int i) {
            return i.value();
        }
        throw new IllegalStateException("not an integer reply: " + this);
    }

    /**
     * The elements of an array, set or push reply.
     *
     * @throws IllegalStateException for any other reply type
     */
    default List<Reply> asList() {
        if (this instanceof Array a) {
            return a.elements();
        } else if (this instanceof Set s) {
            return s.elements();
        } else if (this instanceof Push p) {
            return p.elements();
        }
        throw new IllegalStateException("not an aggregate reply: " + this);
    }

    /**
     * Bytes as redis-cli quotes them: printable ASCII as is, {@code \n \r \t \" \\} escaped, any other byte
     * as {@code \xNN}.
     */
    static String escape(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return out.toString();
    }

    private static String join(String open, List<?> items, String close) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", ", open, close));
    }
}
