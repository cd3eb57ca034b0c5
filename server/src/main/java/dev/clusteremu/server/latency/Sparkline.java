package dev.clusteremu.server.latency;

import java.util.ArrayList;
import java.util.List;

/**
 * ASCII sparklines (sparkline.c), as LATENCY GRAPH draws them: each sample a column of {@code rows} lines
 * high, the height scaled between the sequence's minimum and maximum in steps of a third of a line
 * ('_', 'o', '#' with the area below filled by '|'), its label written downwards beneath it after one
 * empty line. Longer sequences wrap every {@code columns} samples, with an empty line between the parts.
 */
final class Sparkline {
    /** The glyphs of the three steps of a line, filled style. */
    private static final char[] FILL = {'_', 'o', '#'};
    private static final int LABEL_MARGIN_TOP = 1;

    private record Point(double value, String label) {
    }

    private final List<Point> points = new ArrayList<>();
    private double min;
    private double max;

    /** sparklineSequenceAddSample. */
    void add(double value, String label) {
        if (points.isEmpty()) {
            min = value;
            max = value;
        } else if (value < min) {
            min = value;
        } else if (value > max) {
            max = value;
        }
        points.add(new Point(value, label == null || label.isEmpty() ? null : label));
    }

    /** sparklineRender with SPARKLINE_FILL. */
    String render(int columns, int rows) {
        StringBuilder out = new StringBuilder();
        for (int j = 0; j < points.size(); j += columns) {
            if (j != 0) {
                out.append('\n');
            }
            renderRange(out, rows, j, Math.min(columns, points.size() - j));
        }
        return out.toString();
    }

    /**
     * sparklineRenderRange: emits lines while any column still has something to show; a sample's step is
     * its share of the range, truncated as C truncates {@code (int) (relval * steps) / relmax}.
     */
    private void renderRange(StringBuilder out, int rows, int offset, int len) {
        double relmax = max - min;
        if (relmax == 0) {
            relmax = 1;
        }
        int steps = FILL.length * rows;
        boolean labels = hasLabels();
        char[] chars = new char[len];
        for (int row = 0;; row++) {
            boolean more = false;
            java.util.Arrays.fill(chars, ' ');
            for (int j = 0; j < len; j++) {
                Point p = points.get(j + offset);
                double relval = p.value() - min;
                int step = (int) ((int) (relval * steps) / relmax);
                step = Math.max(0, Math.min(steps - 1, step));
                if (row < rows) {
                    int charIndex = step - (rows - row - 1) * FILL.length;
                    more = true;
                    if (charIndex >= 0 && charIndex < FILL.length) {
                        chars[j] = FILL[charIndex];
                    } else if (charIndex >= FILL.length) {
                        chars[j] = '|';
                    }
                } else {
                    if (labels && row - rows < LABEL_MARGIN_TOP) {
                        more = true;
                        break;
                    }
                    if (p.label() != null) {
                        int labelChar = row - rows - LABEL_MARGIN_TOP;
                        if (p.label().length() > labelChar) {
                            more = true;
                            chars[j] = p.label().charAt(labelChar);
                        }
                    }
                }
            }
            if (!more) {
                return;
            }
            out.append(chars).append('\n');
        }
    }

    private boolean hasLabels() {
        for (Point p : points) {
            if (p.label() != null) {
                return true;
            }
        }
        return false;
    }
}
