package dev.clusteremu.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.clusteremu.server.ServerConfig.SavePoint;

/**
 * Parsing and printing of parameter values, with the values and refusals redis-server 7.0.15 gives to
 * CONFIG SET and CONFIG GET.
 */
class ValueTypeTest {

    private static String refusal(ValueType type, String text) {
        return assertThrows(InvalidConfigValue.class, () -> type.parse(text)).reason();
    }

    private static String roundTrip(ValueType type, String text) {
        return type.format(type.parse(text));
    }

    @Test
    void memoryTakesUnitsCaseInsensitiveAndPrintsBytes() {
        ValueType maxmemory = ValueType.memory(0, -1L, true);
        assertEquals("1073741824", roundTrip(maxmemory, "1gb"));
        assertEquals("1000", roundTrip(maxmemory, "1k"));
        assertEquals("1024", roundTrip(maxmemory, "1KB"));
        assertEquals("0", roundTrip(maxmemory, ""));
        assertEquals("0", roundTrip(maxmemory, "mb"));
        // strtoull saturates at ULLONG_MAX.
        assertEquals("18446744073709551615", roundTrip(maxmemory, "99999999999999999999"));
        assertEquals("argument must be a memory value", refusal(maxmemory, "1.5gb"));
        assertEquals("argument must be a memory value", refusal(maxmemory, "-1"));
    }

    @Test
    void signedMemoryChecksItsBoundsSigned() {
        ValueType protoMaxBulkLen = ValueType.memory(1024 * 1024, Long.MAX_VALUE, false);
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive",
                refusal(protoMaxBulkLen, "1000"));
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive",
                refusal(protoMaxBulkLen, "99999999999999999999"));
    }

    @Test
    void percentParametersStoreNegativeAndPrintWithPercent() {
        ValueType maxmemoryClients = ValueType.memoryOrPercent(-100, Long.MAX_VALUE);
        assertEquals("50%", roundTrip(maxmemoryClients, "50%"));
        assertEquals("1048576", roundTrip(maxmemoryClients, "1mb"));
        assertEquals("percentage argument must be less or equal to 100", refusal(maxmemoryClients, "101%"));
        assertEquals("argument must be a memory or percent value", refusal(maxmemoryClients, "-5"));
    }

    @Test
    void integersAreStrictDecimal() {
        ValueType hz = ValueType.integer(0, Integer.MAX_VALUE);
        assertEquals("argument couldn't be parsed into an integer", refusal(hz, " 5"));
        assertEquals("argument couldn't be parsed into an integer", refusal(hz, "+5"));
        assertEquals("argument couldn't be parsed into an integer", refusal(hz, "05"));
        assertEquals("argument must be between 0 and 2147483647 inclusive", refusal(hz, "-1"));
        ValueType maxclients = ValueType.unsignedInteger(1, 0xffffffffL);
        assertEquals("argument must be between 1 and 4294967295 inclusive", refusal(maxclients, "-1"));
        assertEquals("4294967295", roundTrip(maxclients, "4294967295"));
    }

    @Test
    void enumsMatchWithoutCaseAndPrintTheFirstNameOfTheirValue() {
        ValueType oom = ValueType.oneOf(new ValueType.Choice("no", 0), new ValueType.Choice("yes", 1),
                new ValueType.Choice("relative", 1), new ValueType.Choice("absolute", 2));
        assertEquals("yes", roundTrip(oom, "RELATIVE"));
        assertEquals("argument(s) must be one of the following: no, yes, relative, absolute", refusal(oom, "x"));
    }

    @Test
    void flagEnumsPrintTheirNamesInTableOrder() {
        ValueType shutdown = ValueType.flagsOf(v -> { }, new ValueType.Choice("default", 0),
                new ValueType.Choice("save", 1), new ValueType.Choice("nosave", 2), new ValueType.Choice("now", 4),
                new ValueType.Choice("force", 8));
        assertEquals("save now", roundTrip(shutdown, "now save"));
        assertEquals("default", roundTrip(shutdown, "default"));
        assertEquals("argument(s) must be one of the following: default, save, nosave, now, force",
                refusal(shutdown, ""));
    }

    @Test
    void saveTakesPairsAsStrtollReadsThem() {
        ValueType save = SpecialTypes.save();
        assertEquals(List.of(new SavePoint(3600, 1), new SavePoint(300, 100)), save.parse("3600 1 300 100"));
        assertEquals("", roundTrip(save, ""));
        assertEquals("20 7", roundTrip(save, "+20 007"));
        // An empty token reads as 0 changes (strtoll of "" ends at the terminator).
        assertEquals("10 0", roundTrip(save, "10 "));
        assertEquals("Invalid save parameters", refusal(save, "100"));
        assertEquals("Invalid save parameters", refusal(save, "0 1"));
        assertEquals("Invalid save parameters", refusal(save, "10 -1"));
        assertEquals("Invalid save parameters", refusal(save, "10  5"));
        assertEquals("Invalid save parameters", refusal(save, "100 x"));
    }

    @Test
    void strtollAcceptsWhatCDoes() {
        assertEquals(5L, ValueType.strtoll(" +5"));
        assertEquals(0L, ValueType.strtoll(""));
        assertNull(ValueType.strtoll(" "));
        assertNull(ValueType.strtoll("5x"));
        assertEquals(Long.MAX_VALUE, ValueType.strtoll("99999999999999999999"));
    }

    @Test
    void keyspaceEventsPrintAInsteadOfItsClasses() {
        ValueType events = SpecialTypes.keyspaceEvents();
        assertEquals("AKE", roundTrip(events, "KEA"));
        // With every class of A set, "n" is not printed even when set, as in Redis.
        assertEquals("AKm", roundTrip(events, "Kgx$lshzetdnm"));
        assertEquals("glE", roundTrip(events, "Elg"));
        assertEquals("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.", refusal(events, "Q"));
    }

    @Test
    void clientOutputBufferLimitsReplaceOnlyTheClassesGiven() {
        ValueType limits = SpecialTypes.clientOutputBufferLimit();
        long[][] current = (long[][]) limits.parse("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        long[][] merged = SpecialTypes.mergeBufferLimits(current, (long[][]) limits.parse("REPLICA 1mb 2 3"));
        assertEquals("normal 0 0 0 slave 1048576 2 3 pubsub 33554432 8388608 60", limits.format(merged));
        assertEquals("Invalid client class specified in buffer limit configuration.", refusal(limits, "master 1 1 1"));
        assertEquals("Wrong number of arguments in buffer limit configuration.", refusal(limits, "normal 1 1"));
        assertEquals("Error in hard, soft or soft_seconds setting in buffer limit configuration.",
                refusal(limits, "normal 1x 1 1"));
    }

    @Test
    void percentilesPrintWithoutTrailingZeros() {
        ValueType percentiles = SpecialTypes.percentiles();
        assertEquals("50 99.99 100", roundTrip(percentiles, "50 99.99 100"));
        assertEquals("", roundTrip(percentiles, ""));
        assertEquals("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]",
                refusal(percentiles, "101"));
        assertEquals("Invalid latency-tracking-info-percentiles parameters", refusal(percentiles, "x"));
    }

    @Test
    void procTitleTemplatesNeedKnownVariablesAndSomeText() {
        ValueType template = ValueType.text(SpecialTypes::checkProcTitleTemplate);
        assertEquals("{title} {listen-addr} {server-mode}", roundTrip(template, "{title} {listen-addr} {server-mode}"));
        String invalid = "template format is invalid or contains unknown variables";
        assertEquals(invalid, refusal(template, "{foo}"));
        assertEquals(invalid, refusal(template, "{title"));
        assertEquals(invalid, refusal(template, " "));
        assertEquals(invalid, refusal(template, "{title}"));
    }
}
