package dev.clusteremu.server.commands;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.clusteremu.server.command.CommandError;

/** The timeouts of BLPOP and friends, read as Redis reads them: (long long) ceill(seconds * 1000). */
class BlockingTimeoutTest {

    @ParameterizedTest(name = "\"{0}\" s is {1} ms")
    @CsvSource({"0, 0", "1, 1000", "1.5, 1500", "0.001, 1", "0.0001, 1", "0.0015, 2", "1e-400, 1", "-0, 0",
        "-0.0001, 0", "-0.001, 0", "0x10, 16000", "9223372036854775, 9223372036854775000"})
    void secondsBecomeMillisecondsRoundedUp(String seconds, long millis) {
        assertEquals(millis, BlockingTimeout.millis(seconds.getBytes(US_ASCII)));
    }

    @ParameterizedTest(name = "\"{0}\" is negative")
    @ValueSource(strings = {"-1", "-0.002", "inf", "-inf", "1e30", "9223372036854776"})
    void negativeOrUnrepresentableTimeoutsAreRefused(String seconds) {
        CommandError e = assertThrows(CommandError.class, () -> BlockingTimeout.millis(seconds.getBytes(US_ASCII)));
        assertEquals("ERR timeout is negative", e.reply());
    }

    @ParameterizedTest(name = "\"{0}\" is not a float")
    @ValueSource(strings = {"", "abc", " 1", "1 ", "nan", "1e5000", "0x"})
    void malformedTimeoutsAreRefused(String seconds) {
        CommandError e = assertThrows(CommandError.class, () -> BlockingTimeout.millis(seconds.getBytes(US_ASCII)));
        assertEquals("ERR timeout is not a float or out of range", e.reply());
    }
}
