package dev.clusteremu.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LOLWUT against redis-server 7.0: the version text for every version without art, VERSION 5's Schotter
 * byte for byte where Redis draws it without chance (at most two rows of squares, and the top of the
 * default picture), VERSION 6's skyline with the random window and building colors masked, the footers,
 * and the errors.
 */
@ExtendWith(DifferentialExtension.class)
class LolwutDifferentialTest {

    /** The text of a bulk or verbatim reply with each colored cell of the skyline reduced to one 'X'. */
    private static final ReplyMasker SKYLINE_COLORS = reply -> textOf(reply) == null ? reply
            : Reply.bulk(textOf(reply).replaceAll("\033\\[[0-9;]*m \033\\[0m", "X"));

    /**
     * Schotter's default picture (66 columns, 8 x 12 squares of 16 pixels): rows of squares below the second
     * are turned and moved at random, by at most 2/12 of a radian and a pixel at the third row, whose
     * squares then reach no higher than pixel row 32; so lines from the ninth on become their length only,
     * and the first eight lines (pixel rows 0-31) and the footer stay exact.
     */
    private static final ReplyMasker SCHOTTER_RANDOM_ROWS = reply -> {
        String text = textOf(reply);
        if (text == null) {
            return reply;
        }
        String[] lines = text.split("\n", -1);
        List<String> masked = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            boolean picture = i < lines.length - 3;
            masked.add(picture && i >= 8 ? "<" + lines[i].length() + " braille characters>" : lines[i]);
        }
        return Reply.bulk(String.join("\n", masked));
    };

    private static String textOf(Reply reply) {
        if (reply instanceof Reply.Bulk b) {
            return new String(b.bytes(), StandardCharsets.UTF_8);
        }
        return reply instanceof Reply.Verbatim v ? new String(v.text(), StandardCharsets.UTF_8) : null;
    }

    @Test
    void versionsWithoutArtAnswerTheVersionText(DifferentialSession session) {
        session.check("LOLWUT");
        session.check("LOLWUT", "VERSION", "7");
        session.check("LOLWUT", "VERSION", "4");
        session.check("LOLWUT", "VERSION", "59");
        session.check("LOLWUT", "VERSION", "69");
        session.check("LOLWUT", "VERSION", "0");
        session.check("LOLWUT", "VERSION", "-1");
        session.check("LOLWUT", "VERSION");
        session.check("LOLWUT", "10", "20");
        session.check("LOLWUT", "version", "7", "ignored", "arguments");
    }

    @Test
    void schotterWithoutRandomRowsIsDrawnAsRedisDrawsIt(DifferentialSession session) {
        for (String[] args : new String[][] {{"66", "8", "2"}, {"1", "1", "1"}, {"0", "0", "0"}, {"2", "1", "1"},
                {"3", "7", "2"}, {"10", "3", "2"}, {"200", "13", "2"}, {"1000", "200", "1"}, {"-5", "-5", "-5"},
                {"45", "1", "2"}, {"33", "5", "1"}}) {
            session.check("LOLWUT", "VERSION", "5", args[0], args[1], args[2]);
        }
        // (unsigned int) 4294967301 is 5, and "4.9" asks for version 5 too.
        session.check("LOLWUT", "VERSION", "4294967301", "40", "4", "1");
        session.check("LOLWUT", "VERSION", "5", "20", "4", "2");
    }

    @Test
    void schotterByDefaultHasRedisShape(DifferentialSession session) {
        session.checkMasked(SCHOTTER_RANDOM_ROWS, "LOLWUT", "VERSION", "5");
        session.checkMasked(SCHOTTER_RANDOM_ROWS, "LOLWUT", "VERSION", "5", "66", "8", "12");
    }

    @Test
    void skylineHasRedisShapeAndFooter(DifferentialSession session) {
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "6");
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "6", "1", "1");
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "6", "0", "-3");
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "6", "30", "12");
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "6", "120");
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "59", "7", "3");
    }

    @Test
    void artIsVerbatimTextInResp3(DifferentialSession session) {
        session.checkMasked(ReplyMasker.mapValue("id"), "HELLO", "3");
        session.check("LOLWUT");
        session.check("LOLWUT", "VERSION", "5", "20", "3", "2");
        session.checkMasked(SKYLINE_COLORS, "LOLWUT", "VERSION", "6", "5", "5");
    }

    @Test
    void badNumbersAreRefused(DifferentialSession session) {
        session.check("LOLWUT", "VERSION", "x");
        session.check("LOLWUT", "VERSION", "99999999999999999999");
        session.check("LOLWUT", "VERSION", "5", "x");
        session.check("LOLWUT", "VERSION", "5", "10", "x");
        session.check("LOLWUT", "VERSION", "5", "10", "2", "1.5");
        session.check("LOLWUT", "VERSION", "6", "x");
        session.check("LOLWUT", "VERSION", "6", "10", "x");
        session.check("COMMAND", "INFO", "lolwut");
    }
}
