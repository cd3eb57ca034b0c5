package dev.clusteremu.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT: arithmetic, overflow and parse errors, exact formatting. */
@ExtendWith(DifferentialExtension.class)
class CounterCommandsDifferentialTest {

    @Test
    void countersStartFromZeroAndStoreDecimalText(DifferentialSession session) {
        session.check("INCR", "n");
        session.check("INCRBY", "n", "10");
        session.check("DECR", "n");
        session.check("DECRBY", "n", "5");
        session.check("INCRBY", "n", "-3");
        session.check("DECRBY", "n", "-3");
        session.check("GET", "n");
        session.check("DECR", "m");
        session.check("GET", "m");
    }

    @Test
    void countersKeepTheTtl(DifferentialSession session) {
        session.check("SET", "n", "1", "EX", "100");
        session.check("INCR", "n");
        session.checkMasked(ReplyMasker.integerWithin(1, 100), "TTL", "n");
        session.check("INCRBYFLOAT", "n", "0.5");
        session.checkMasked(ReplyMasker.integerWithin(1, 100), "TTL", "n");
    }

    @Test
    void countersRefuseToOverflow(DifferentialSession session) {
        session.check("SET", "n", "9223372036854775807");
        session.check("INCR", "n");
        session.check("INCRBY", "n", "0");
        session.check("INCRBY", "n", "1");
        session.check("SET", "n", "-9223372036854775808");
        session.check("DECR", "n");
        session.check("INCRBY", "n", "-1");
        session.check("DECRBY", "n", "1");
        session.check("SET", "n", "0");
        session.check("DECRBY", "n", "-9223372036854775808");
        session.check("DECRBY", "n", "9223372036854775807");
        session.check("INCRBY", "n", "-9223372036854775808");
        session.check("GET", "n");
    }

    @ParameterizedTest(name = "SET n \"{0}\" then INCR n")
    @ValueSource(strings = {"abc", " 1", "1 ", "01", "+1", "-0", "1.0", "0x10", "", "12345678901234567890",
            "9223372036854775808", "-9223372036854775809", "1e3"})
    void countersRejectValuesThatAreNotIntegers(String value, DifferentialSession session) {
        session.check("SET", "n", value);
        session.check("INCR", "n");
        session.check("DECRBY", "n", "2");
        session.check("GET", "n");
    }

    @ParameterizedTest(name = "INCRBY n \"{0}\"")
    @ValueSource(strings = {"abc", "1.5", "", " 1", "9223372036854775808", "-9223372036854775809", "0x1"})
    void countersRejectIncrementsThatAreNotIntegers(String increment, DifferentialSession session) {
        session.check("SET", "n", "5");
        session.check("INCRBY", "n", increment);
        session.check("DECRBY", "n", increment);
        session.check("GET", "n");
    }

    /**
     * INCRBYFLOAT computes in C long double (80-bit x87 extended precision on x86-64) and prints with
     * "%.17Lf" minus trailing zeros, so 0.1 + 0.2 is "0.3" and 3000 + 0.0015 is "3000.00150000000000006".
     */
    @ParameterizedTest(name = "SET f {0} then INCRBYFLOAT f {1}")
    @CsvSource(delimiter = ' ', value = {"10.5 0.1", "5.0e3 2.0e2", "3.0e3 0", "3000 1.5e-3", "0.1 0.2", "1.1 2.2",
            "0 -0", "-1 1", "17179869184 1.5", "1e308 1e308", "1 1e-17", "10 -0.00001", "0x10 1", "10 0x10",
            "1.5 .5", "1 5.", "1 +1", "7 -7.0", "1e-310 0", "3 1e400", "-1e4932 -1e4932", "inf 1", "1 inf", "1 -inf",
            "1 nan", "1 abc", "abc 1", "1 '1 '", "1 ' 1'", "1 ''", "'' 1", "1 1e", "nan 0"})
    void incrbyfloatFormatsExactlyLikeLongDouble(String value, String increment, DifferentialSession session) {
        session.check("SET", "f", value);
        session.check("INCRBYFLOAT", "f", increment);
        session.check("GET", "f");
        session.check("INCRBYFLOAT", "new", increment);
    }

    @Test
    void incrbyfloatRepliesBulkAlsoInResp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("INCRBYFLOAT", "f", "1.5");
        session.check("INCR", "n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"INCR", "INCR a b", "DECR", "DECR a b", "INCRBY n", "INCRBY n 1 2", "DECRBY n",
            "DECRBY n 1 2", "INCRBYFLOAT n", "INCRBYFLOAT n 1 2"})
    void wrongArityIsRejected(String command, DifferentialSession session) {
        session.check(command.split(" "));
    }
}
