package dev.clusteremu.server.lolwut;

import java.util.random.RandomGenerator;

import dev.clusteremu.server.info.InfoReport;

/**
 * LOLWUT version 6 (lolwut6.c): a city skyline in the four grays of a Game Boy screen, one terminal
 * character per pixel. Skyscrapers are placed, sized and lit at random, as in Redis: two background
 * layers without windows, then a black foreground layer with windows.
 */
public final class Skyline {
    /** The ANSI color of each gray, foreground and background alike: black, gray 1, gray 2, white. */
    private static final String[] COLORS = {"0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"};

    private Skyline() {
    }

    /** The picture, {@code cols} x {@code rows} characters (each clamped to 1..1000), and the footer. */
    public static String render(long cols, long rows, RandomGenerator random) {
        Canvas canvas = new Canvas((int) Schotter.clamp(cols, 1, 1000), (int) Schotter.clamp(rows, 1, 1000), 3);
        drawSkyline(canvas, random);
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < canvas.height(); y++) {
            for (int x = 0; x < canvas.width(); x++) {
                int color = canvas.pixel(x, y);
                text.append("\033[").append(COLORS[color]).append(" \033[0m");
            }
            if (y != canvas.height() - 1) {
                text.append('\n');
            }
        }
        text.append("\nDedicated to the 8 bit game developers of past and present.\n"
                + "Original 8 bit image from Plaguemon by hikikomori. Redis ver. ")
                .append(InfoReport.REDIS_VERSION).append('\n');
        return text.toString();
    }

    /** generateSkyline. */
    private static void drawSkyline(Canvas canvas, RandomGenerator random) {
        int height = canvas.height();
        // The lighter gray first, so that it stays behind the darker one.
        for (int color = 2; color >= 1; color--) {
            for (int offset = -10; offset < canvas.width();) {
                offset += rand(random) % 8;
                int width = 10 + rand(random) % 9;
                int tall = color == 2 ? height / 2 + rand(random) % height / 2 : height / 2 + rand(random) % height / 3;
                drawSkyscraper(canvas, offset, width, tall, false, color, random);
                offset += color == 2 ? width / 2 : width + 1;
            }
        }
        for (int offset = -10; offset < canvas.width();) {
            offset += rand(random) % 8;
            int width = 5 + rand(random) % 14;
            if (width % 4 != 0) {
                width += width % 3;
            }
            int tall = height / 3 + rand(random) % height / 2;
            drawSkyscraper(canvas, offset, width, tall, true, 0, random);
            offset += width + 5;
        }
    }

    /**
     * generateSkyscraper: a building standing on the bottom row, its roof two pixels narrower on each
     * side. With windows, every other pair of pixels of every other row inside the walls is lit in one of
     * the two grays that is not the wall's, both pixels of a window alike.
     */
    private static void drawSkyscraper(Canvas canvas, int xoff, int width, int tall, boolean windows, int color,
            RandomGenerator random) {
        int starty = canvas.height() - 1;
        int endy = starty - tall + 1;
        for (int y = starty; y >= endy; y--) {
            for (int x = xoff; x < xoff + width; x++) {
                if (y == endy && (x <= xoff + 1 || x >= xoff + width - 2)) {
                    continue;
                }
                int pixel = color;
                if (windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1) {
                    int relx = x - (xoff + 1);
                    int rely = y - (endy + 1);
                    if (relx / 2 % 2 != 0 && rely % 2 != 0) {
                        do {
                            pixel = 1 + rand(random) % 2;
                        } while (pixel == color);
                        if (relx % 2 != 0) {
                            pixel = canvas.pixel(x - 1, y);
                        }
                    }
                }
                canvas.drawPixel(x, y, pixel);
            }
        }
    }

    private static int rand(RandomGenerator random) {
        return Schotter.rand(random);
    }
}
