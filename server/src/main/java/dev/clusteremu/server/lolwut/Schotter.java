package dev.clusteremu.server.lolwut;

import java.util.random.RandomGenerator;

import dev.clusteremu.server.info.InfoReport;

/**
 * LOLWUT version 5 (lolwut5.c): Georg Nees' "Schotter", rows of squares that turn and shift more and more
 * at random going down, drawn in Braille characters (each a 2x4 block of pixels). The first two rows are
 * never disturbed; the rest depends on the random draws, as in Redis.
 */
public final class Schotter {
    /** C's RAND_MAX with glibc: rand() is uniform in [0, RAND_MAX]. */
    private static final int RAND_MAX = Integer.MAX_VALUE;

    private Schotter() {
    }

    /**
     * The picture for a terminal {@code cols} characters wide, with {@code squaresPerRow} x
     * {@code squaresPerCol} squares (each clamped as lolwut5Command clamps it), and the footer.
     */
    public static String render(long cols, long squaresPerRow, long squaresPerCol, RandomGenerator random) {
        Canvas canvas = draw((int) clamp(cols, 1, 1000), (int) clamp(squaresPerRow, 1, 200),
                (int) clamp(squaresPerCol, 1, 200), random);
        StringBuilder text = new StringBuilder();
        braille(canvas, text);
        text.append("\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ").append(InfoReport.REDIS_VERSION)
                .append('\n');
        return text.toString();
    }

    /** lwDrawSchotter: the canvas is two pixels per column wide, with a 2-pixel margin when it fits. */
    private static Canvas draw(int consoleCols, int squaresPerRow, int squaresPerCol, RandomGenerator random) {
        int canvasWidth = consoleCols * 2;
        int padding = canvasWidth > 4 ? 2 : 0;
        float squareSide = (float) (canvasWidth - padding * 2) / squaresPerRow;
        int canvasHeight = (int) (squareSide * squaresPerCol + padding * 2);
        Canvas canvas = new Canvas(canvasWidth, canvasHeight, 0);
        for (int y = 0; y < squaresPerCol; y++) {
            for (int x = 0; x < squaresPerRow; x++) {
                int sx = (int) (x * squareSide + squareSide / 2 + padding);
                int sy = (int) (y * squareSide + squareSide / 2 + padding);
                float angle = 0;
                if (y > 1) {
                    float r1 = (float) rand(random) / (float) RAND_MAX / squaresPerCol * y;
                    float r2 = (float) rand(random) / (float) RAND_MAX / squaresPerCol * y;
                    float r3 = (float) rand(random) / (float) RAND_MAX / squaresPerCol * y;
                    if (rand(random) % 2 != 0) {
                        r1 = -r1;
                    }
                    if (rand(random) % 2 != 0) {
                        r2 = -r2;
                    }
                    if (rand(random) % 2 != 0) {
                        r3 = -r3;
                    }
                    angle = r1;
                    sx += r2 * squareSide / 3;
                    sy += r3 * squareSide / 3;
                }
                canvas.drawSquare(sx, sy, squareSide, angle, 1);
            }
        }
        return canvas;
    }

    /**
     * renderCanvas: one Braille character (U+2800 plus the dot bits; UTF-8 on the wire) per 2x4 pixels, rows
     * of characters separated by newlines. Dots 1-3 are the left column's top three pixels (bits 0-2),
     * dots 4-6 the right column's (bits 3-5), dots 7 and 8 the bottom pixels (bits 6 and 7).
     */
    private static void braille(Canvas canvas, StringBuilder out) {
        for (int y = 0; y < canvas.height(); y += 4) {
            for (int x = 0; x < canvas.width(); x += 2) {
                int dots = 0;
                dots |= canvas.pixel(x, y) != 0 ? 1 : 0;
                dots |= canvas.pixel(x, y + 1) != 0 ? 1 << 1 : 0;
                dots |= canvas.pixel(x, y + 2) != 0 ? 1 << 2 : 0;
                dots |= canvas.pixel(x + 1, y) != 0 ? 1 << 3 : 0;
                dots |= canvas.pixel(x + 1, y + 1) != 0 ? 1 << 4 : 0;
                dots |= canvas.pixel(x + 1, y + 2) != 0 ? 1 << 5 : 0;
                dots |= canvas.pixel(x, y + 3) != 0 ? 1 << 6 : 0;
                dots |= canvas.pixel(x + 1, y + 3) != 0 ? 1 << 7 : 0;
                out.append((char) (0x2800 + dots));
            }
            // Redis compares with the last pixel row, which a step of 4 rarely hits: most pictures end
            // with a newline, and the footer's own newline then leaves an empty line.
            if (y != canvas.height() - 1) {
                out.append('\n');
            }
        }
    }

    /** C's rand(): uniform in [0, RAND_MAX]. */
    static int rand(RandomGenerator random) {
        return random.nextInt() & RAND_MAX;
    }

    static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}
