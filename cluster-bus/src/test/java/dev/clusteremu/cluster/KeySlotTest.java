package dev.clusteremu.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySlotTest {

    private static int slot(String key) {
        return KeySlot.of(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void crc16IsXmodem() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, KeySlot.crc16(check, 0, check.length));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "foo | 12182",
            "bar | 5061",
            "hello | 866",
            "FOO | 3028",
            "\"\" | 0",
            "{user1000}.following | 3443",
            "user1000 | 3443",
            "foo{}{bar} | 8363",
            "foo{{bar}}zap | 4015",
            "{bar | 4015",
            "foo{bar}{zap} | 5061",
            "{} | 15257",
    })
    void slotsMatchRedis(String key, int expected) {
        assertEquals(expected, slot(key));
    }

    @Property
    void keyWithANonEmptyTagHashesLikeTheTag(@ForAll("tags") String tag, @ForAll("untagged") String before,
            @ForAll String after) {
        assertEquals(slot(tag), slot(before + "{" + tag + "}" + after));
    }

    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.strings().excludeChars('}').ofMinLength(1).ofMaxLength(30);
    }

    /** Text before the tag must not open a tag of its own. */
    @Provide
    Arbitrary<String> untagged() {
        return Arbitraries.strings().excludeChars('{').ofMaxLength(30);
    }
}
