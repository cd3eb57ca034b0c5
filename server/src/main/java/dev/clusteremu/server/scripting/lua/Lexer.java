package dev.clusteremu.server.scripting.lua;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * Lua 5.1's lexer (llex.c): tokens, line counting ("\n", "\r", "\r\n" and "\n\r" are one line each),
 * strings with 5.1's escapes, long brackets (where a nested "[[" is still an error, LUA_COMPAT_LSTR), and
 * numerals read greedily then checked as luaO_str2d reads them. Errors are Lua's texts:
 * "user_script:1: unfinished string near '"abc'".
 */
final class Lexer {
    static final int FIRST_RESERVED = 257;
    static final int AND = 257;
    static final int BREAK = 258;
    static final int DO = 259;
    static final int ELSE = 260;
    static final int ELSEIF = 261;
    static final int END = 262;
    static final int FALSE = 263;
    static final int FOR = 264;
    static final int FUNCTION = 265;
    static final int IF = 266;
    static final int IN = 267;
    static final int LOCAL = 268;
    static final int NIL = 269;
    static final int NOT = 270;
    static final int OR = 271;
    static final int REPEAT = 272;
    static final int RETURN = 273;
    static final int THEN = 274;
    static final int TRUE = 275;
    static final int UNTIL = 276;
    static final int WHILE = 277;
    static final int CONCAT = 278;
    static final int DOTS = 279;
    static final int EQ = 280;
    static final int GE = 281;
    static final int LE = 282;
    static final int NE = 283;
    static final int NUMBER = 284;
    static final int NAME = 285;
    static final int STRING = 286;
    static final int EOS = 287;

    private static final String[] TOKENS = {
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local", "nil",
        "not", "or", "repeat", "return", "then", "true", "until", "while", "..", "...", "==", ">=", "<=", "~=",
        "<number>", "<name>", "<string>", "<eof>"};
    private static final Map<String, Integer> RESERVED = reserved();
    private static final int EOZ = -1;

    /** A token and its value (seminfo). */
    static final class Token {
        int type;
        double number;
        LuaString string;

        void copyFrom(Token t) {
            type = t.type;
            number = t.number;
            string = t.string;
        }
    }

    private final byte[] src;
    private final String chunkId;
    private int pos;
    private int current;
    int lineNumber = 1;
    /** The line of the last token consumed (lastline). */
    int lastLine = 1;
    final Token t = new Token();
    private final Token ahead = new Token();
    private final ByteArrayOutputStream buff = new ByteArrayOutputStream();
    private boolean lookaheadValid;

    Lexer(byte[] src, String chunkName) {
        this.src = src;
        this.chunkId = LuaThread.chunkId(chunkName);
        next();
    }

    private static Map<String, Integer> reserved() {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i <= WHILE - FIRST_RESERVED; i++) {
            m.put(TOKENS[i], FIRST_RESERVED + i);
        }
        return m;
    }

    private void next() {
        current = pos < src.length ? src[pos++] & 0xff : EOZ;
    }

    private void save(int c) {
        buff.write(c);
    }

    private void saveAndNext() {
        save(current);
        next();
    }

    private boolean isNewline() {
        return current == '\n' || current == '\r';
    }

    /** luaX_next. */
    void advance() {
        lastLine = lineNumber;
        if (lookaheadValid) {
            t.copyFrom(ahead);
            lookaheadValid = false;
        } else {
            lex(t);
        }
    }

    /** luaX_lookahead. */
    Token lookahead() {
        lex(ahead);
        lookaheadValid = true;
        return ahead;
    }

    /** luaX_token2str. */
    static String token2str(int token) {
        if (token < FIRST_RESERVED) {
            return token < 32 || token == 127 ? "char(" + token + ")" : String.valueOf((char) token);
        }
        return TOKENS[token - FIRST_RESERVED];
    }

    private String txtToken(int token) {
        if (token == NAME || token == STRING || token == NUMBER) {
            byte[] b = buff.toByteArray();
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return token2str(token);
    }

    /** luaX_lexerror: the message with the position, and "near 'token'" unless token is 0. */
    LuaError error(String msg, int token) {
        String m = chunkId + ":" + lineNumber + ": " + msg;
        if (token != 0) {
            m = m + " near '" + txtToken(token) + "'";
        }
        return new LuaError(LuaString.of(m));
    }

    /** luaX_syntaxerror: at the current token. */
    LuaError syntaxError(String msg) {
        return error(msg, t.type);
    }

    private void incLineNumber() {
        int old = current;
        next();
        if (isNewline() && current != old) {
            next();
        }
        lineNumber++;
    }

    private void lex(Token tok) {
        buff.reset();
        while (true) {
            switch (current) {
                case '\n', '\r' -> incLineNumber();
                case '-' -> {
                    next();
                    if (current != '-') {
                        tok.type = '-';
                        return;
                    }
                    next();
                    if (current == '[') {
                        int sep = skipSep();
                        buff.reset();
                        if (sep >= 0) {
                            readLongString(null, sep);
                            buff.reset();
                            continue;
                        }
                    }
                    while (!isNewline() && current != EOZ) {
                        next();
                    }
                }
                case '[' -> {
                    int sep = skipSep();
                    if (sep >= 0) {
                        readLongString(tok, sep);
                        tok.type = STRING;
                        return;
                    } else if (sep == -1) {
                        tok.type = '[';
                        return;
                    }
                    throw error("invalid long string delimiter", STRING);
                }
                case '=' -> {
                    tok.type = twoChar('=', EQ);
                    return;
                }
                case '<' -> {
                    tok.type = twoChar('<', LE);
                    return;
                }
                case '>' -> {
                    tok.type = twoChar('>', GE);
                    return;
                }
                case '~' -> {
                    tok.type = twoChar('~', NE);
                    return;
                }
                case '"', '\'' -> {
                    readString(current, tok);
                    tok.type = STRING;
                    return;
                }
                case '.' -> {
                    saveAndNext();
                    if (checkNext('.')) {
                        tok.type = checkNext('.') ? DOTS : CONCAT;
                        return;
                    } else if (!isDigit(current)) {
                        tok.type = '.';
                        return;
                    }
                    readNumeral(tok);
                    tok.type = NUMBER;
                    return;
                }
                case EOZ -> {
                    tok.type = EOS;
                    return;
                }
                default -> {
                    if (isSpace(current)) {
                        next();
                    } else if (isDigit(current)) {
                        readNumeral(tok);
                        tok.type = NUMBER;
                        return;
                    } else if (isAlpha(current) || current == '_') {
                        do {
                            saveAndNext();
                        } while (isAlnum(current) || current == '_');
                        String word = buff.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
                        Integer r = RESERVED.get(word);
                        if (r != null) {
                            tok.type = r;
                        } else {
                            tok.type = NAME;
                            tok.string = LuaString.wrap(buff.toByteArray());
                        }
                        return;
                    } else {
                        int c = current;
                        next();
                        tok.type = c;
                        return;
                    }
                }
            }
        }
    }

    private int twoChar(int single, int pair) {
        next();
        if (current != '=') {
            return single;
        }
        next();
        return pair;
    }

    private boolean checkNext(int c) {
        if (current != c) {
            return false;
        }
        saveAndNext();
        return true;
    }

    private int skipSep() {
        int count = 0;
        int s = current;
        saveAndNext();
        while (current == '=') {
            saveAndNext();
            count++;
        }
        return current == s ? count : -count - 1;
    }

    private void readLongString(Token tok, int sep) {
        saveAndNext();
        if (isNewline()) {
            incLineNumber();
        }
        loop:
        while (true) {
            switch (current) {
                case EOZ -> throw error(tok != null ? "unfinished long string" : "unfinished long comment", EOS);
                case '[' -> {
                    if (skipSep() == sep) {
                        saveAndNext();
                        if (sep == 0) {
                            throw error("nesting of [[...]] is deprecated", '[');
                        }
                    }
                }
                case ']' -> {
                    if (skipSep() == sep) {
                        saveAndNext();
                        break loop;
                    }
                }
                case '\n', '\r' -> {
                    save('\n');
                    incLineNumber();
                    if (tok == null) {
                        buff.reset();
                    }
                }
                default -> {
                    if (tok != null) {
                        saveAndNext();
                    } else {
                        next();
                    }
                }
            }
        }
        if (tok != null) {
            byte[] b = buff.toByteArray();
            int skip = 2 + sep;
            tok.string = LuaString.wrap(java.util.Arrays.copyOfRange(b, skip, b.length - skip));
        }
    }

    private void readString(int del, Token tok) {
        saveAndNext();
        while (current != del) {
            switch (current) {
                case EOZ -> throw error("unfinished string", EOS);
                case '\n', '\r' -> throw error("unfinished string", STRING);
                case '\\' -> {
                    next();
                    int c;
                    switch (current) {
                        case 'a' -> c = 7;
                        case 'b' -> c = '\b';
                        case 'f' -> c = '\f';
                        case 'n' -> c = '\n';
                        case 'r' -> c = '\r';
                        case 't' -> c = '\t';
                        case 'v' -> c = 0x0b;
                        case '\n', '\r' -> {
                            save('\n');
                            incLineNumber();
                            continue;
                        }
                        case EOZ -> {
                            continue;
                        }
                        default -> {
                            if (!isDigit(current)) {
                                saveAndNext();
                            } else {
                                int i = 0;
                                c = 0;
                                do {
                                    c = 10 * c + (current - '0');
                                    next();
                                } while (++i < 3 && isDigit(current));
                                if (c > 255) {
                                    throw error("escape sequence too large", STRING);
                                }
                                save(c);
                            }
                            continue;
                        }
                    }
                    save(c);
                    next();
                }
                default -> saveAndNext();
            }
        }
        saveAndNext();
        byte[] b = buff.toByteArray();
        tok.string = LuaString.wrap(java.util.Arrays.copyOfRange(b, 1, b.length - 1));
    }

    private void readNumeral(Token tok) {
        do {
            saveAndNext();
        } while (isDigit(current) || current == '.');
        if (current == 'E' || current == 'e') {
            saveAndNext();
            if (current == '+' || current == '-') {
                saveAndNext();
            }
        }
        while (isAlnum(current) || current == '_') {
            saveAndNext();
        }
        Double d = LuaValues.str2d(buff.toByteArray());
        if (d == null) {
            throw error("malformed number", NUMBER);
        }
        tok.number = d;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAlnum(int c) {
        return isAlpha(c) || isDigit(c);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }
}
