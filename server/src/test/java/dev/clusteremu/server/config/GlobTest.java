package dev.clusteremu.server.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Redis's stringmatchlen rules, including its quirks (util.c, 7.0). */
class GlobTest {

    @Test
    void starQuestionMarkAndLiteralsMatchLikeKeys() {
        assertTrue(Glob.matches("h?llo", "hello", false));
        assertTrue(Glob.matches("h*llo", "heeeello", false));
        assertTrue(Glob.matches("h*llo", "hllo", false));
        assertTrue(Glob.matches("*", "anything", false));
        assertTrue(Glob.matches("cluster-*", "cluster-node-timeout", false));
        assertFalse(Glob.matches("h?llo", "hllo", false));
        assertFalse(Glob.matches("hello", "hello!", false));
    }

    @Test
    void classesTakeSetsRangesAndNegation() {
        assertTrue(Glob.matches("h[ae]llo", "hallo", false));
        assertFalse(Glob.matches("h[ae]llo", "hillo", false));
        assertTrue(Glob.matches("h[^e]llo", "hallo", false));
        assertFalse(Glob.matches("h[^e]llo", "hello", false));
        assertTrue(Glob.matches("h[a-b]llo", "hbllo", false));
        assertTrue(Glob.matches("h[b-a]llo", "hallo", false)); // reversed ranges are swapped
        assertTrue(Glob.matches("a[\\]]b", "a]b", false));
    }

    @Test
    void backslashEscapesTheNextCharacter() {
        assertTrue(Glob.matches("a\\*b", "a*b", false));
        assertFalse(Glob.matches("a\\*b", "axb", false));
    }

    @Test
    void nocaseFoldsAsciiLettersOnly() {
        assertTrue(Glob.matches("HZ", "hz", true));
        assertTrue(Glob.matches("H[A-Z]", "hz", true));
        assertFalse(Glob.matches("HZ", "hz", false));
    }

    @Test
    void redisQuirksAreKept() {
        // A star at the end does not match an empty subject.
        assertFalse(Glob.matches("*", "", false));
        assertTrue(Glob.matches("", "", false));
        // An unterminated class ends at the pattern's last byte.
        assertTrue(Glob.matches("a[bc", "ab", false));
        assertTrue(Glob.matches("a[bc", "ac", false));
    }

    @Test
    void manyStarsDoNotBacktrackExponentially() {
        String subject = "a".repeat(60);
        assertFalse(Glob.matches("*a*a*a*a*a*a*a*a*a*a*a*b", subject, false));
    }

    @Test
    void wildcardsAreStarQuestionMarkAndBracket() {
        assertTrue(Glob.hasWildcards("max*"));
        assertTrue(Glob.hasWildcards("h?"));
        assertTrue(Glob.hasWildcards("[h]z"));
        assertFalse(Glob.hasWildcards("maxmemory"));
    }
}
