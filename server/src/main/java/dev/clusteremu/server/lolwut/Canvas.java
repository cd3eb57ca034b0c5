package dev.clusteremu.server.lolwut;

/**
 * The canvas LOLWUT draws on (lolwut.c's lwCanvas): a width x height grid of small color numbers, 0 where
 * nothing is drawn. Drawing outside the grid is ignored and reading outside it gives 0, so shapes may
 * cross the borders. The arithmetic mirrors Redis's C float and double conversions, so that the same
 * shapes land on the same pixels.
 */
final class Canvas {
    private final int width;
    private final int height;
    private final byte[] pixels;

    /** A canvas filled with {@code background} (lwCreateCanvas). */
    Canvas(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height];
        java.util.Arrays.fill(pixels, (byte) background);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** lwDrawPixel. */
    void drawPixel(int x, int y, int color) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            return;
        }
        pixels[x + y * width] = (byte) color;
    }

    /** lwGetPixel. */
    int pixel(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            return 0;
        }
        return pixels[x + y * width];
    }

    /** lwDrawLine: Bresenham's line from (x1, y1) to (x2, y2), both ends included. */
    void drawLine(int x1, int y1, int x2, int y2, int color) {
        int dx = Math.abs(x2 - x1);
        int dy = Math.abs(y2 - y1);
        int sx = x1 < x2 ? 1 : -1;
        int sy = y1 < y2 ? 1 : -1;
        int err = dx - dy;
        int x = x1;
        int y = y1;
        while (true) {
            drawPixel(x, y, color);
            if (x == x2 && y == y2) {
                return;
            }
            int e2 = err * 2;
            if (e2 > -dy) {
                err -= dy;
                x += sx;
            }
            if (e2 < dx) {
                err += dx;
                y += sy;
            }
        }
    }

    /**
     * lwDrawSquare: the outline of a square of side {@code size} centred on (x, y), turned by {@code angle}
     * radians. Its corners are points of the circle through them, starting at 45 degrees plus the angle;
     * {@code size} and the running angle are C floats, the trigonometry is done in double, as in Redis.
     */
    void drawSquare(int x, int y, float size, float angle, int color) {
        float side = (float) (size / 1.4142135623);
        side = (float) roundC(side);
        int[] px = new int[4];
        int[] py = new int[4];
        float k = (float) (Math.PI / 4 + angle);
        for (int j = 0; j < 4; j++) {
            px[j] = (int) roundC(Math.sin(k) * side + x);
            py[j] = (int) roundC(Math.cos(k) * side + y);
            k = (float) (k + Math.PI / 2);
        }
        for (int j = 0; j < 4; j++) {
            drawLine(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
        }
    }

    /** C's round(): halfway cases away from zero (Math.round rounds them up). */
    static double roundC(double v) {
        double whole = Math.floor(Math.abs(v));
        if (Math.abs(v) - whole >= 0.5) {
            whole += 1;
        }
        return Math.copySign(whole, v);
    }
}
