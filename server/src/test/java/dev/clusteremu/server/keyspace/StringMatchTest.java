package dev.clusteremu.server.keyspace;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors checked with KEYS on redis-server 7.0.15 (except the lone "*", which KEYS short-cuts). */
class StringMatchTest {

    private static boolean matches(String pattern, String string) {
        return StringMatch.matches(pattern.getBytes(ISO_8859_1), string.getBytes(ISO_8859_1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "h?llo|hello|true",
        "h?llo|hllo|false",
        "h*llo|heeeello|true",
        "h*llo|hllo|true",
        "h[ae]llo|hallo|true",
        "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false",
        "h[a-b]llo|hbllo|true",
        "h[b-a]llo|hallo|true",
        "h[a-b]llo|hcllo|false",
        "h\\*llo|h*llo|true",
        "h\\*llo|hello|false",
        // Bare stringmatchlen: a lone star does not match the empty key (KEYS and SCAN special-case "*").
        "*|''|false",
        "**|''|false",
        "''|''|true",
        "a*|a|true",
        "*a|a|true",
        "*a*b|xaybzb|true",
        "*a*b|xaybzc|false",
        "a*b*c|abc|true",
        "[abc|b|true",
        "[abc|d|false",
        "[|[|false",
        "[^|x|true",
        "[^|''|false",
        "\\|\\|true",
        "a\\|a\\|true",
        "[\\]]|]|true",
        "[a\\-z]|-|true",
        "[a\\-z]|b|false",
        "[]]|]|false",
        "[]a]|]|false",
        "[-]|-|true",
        "[a-]|-|false",
        "?|''|false",
        "?*|x|true",
    })
    void matchesLikeRedis(String pattern, String string, boolean expected) {
        assertEquals(expected, matches(unquote(pattern), unquote(string)), pattern + " ~ " + string);
    }

    @ParameterizedTest
    @CsvSource({
        // Ranges compare signed chars: 0x80..0xff sort before ASCII.
        "true, 128, 255, 200",
        "false, 128, 255, 65",
        "true, 255, 97, 65",
        "true, 255, 97, 0",
        "false, 255, 97, 98",
    })
    void rangesCompareSignedChars(boolean expected, int from, int to, int c) {
        byte[] pattern = {'[', (byte) from, '-', (byte) to, ']'};
        assertEquals(expected, StringMatch.matches(pattern, new byte[] {(byte) c}));
    }

    private static String unquote(String s) {
        return s.equals("''") ? "" : s;
    }
}
