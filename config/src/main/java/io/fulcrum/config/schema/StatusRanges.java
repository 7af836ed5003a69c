package io.fulcrum.config.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of HTTP status codes written as a comma-separated list of {@code 2xx}, {@code 204} or
 * {@code 200-299}: what an HTTP health check expects.
 */
public final class StatusRanges {
    public static final String SYNTAX = "a comma-separated list of classes (2xx), codes (204) or ranges (200-299) within 100..599";

    private final int[] lows;
    private final int[] highs;

    private StatusRanges(int[] lows, int[] highs) {
        this.lows = lows;
        this.highs = highs;
    }

    /** @throws InvalidValueException if {@code text} is not in {@link #SYNTAX} */
    public static StatusRanges parse(String text) {
        List<int[]> ranges = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String part = raw.trim().toLowerCase(java.util.Locale.ROOT);
            int[] range = parsePart(part);
            if (range == null || range[0] < 100 || range[1] > 599 || range[0] > range[1]) {
                throw InvalidValueException.mustBe(SYNTAX, text);
            }
            ranges.add(range);
        }
        int[] lows = new int[ranges.size()];
        int[] highs = new int[ranges.size()];
        for (int i = 0; i < lows.length; i++) {
            lows[i] = ranges.get(i)[0];
            highs[i] = ranges.get(i)[1];
        }
        return new StatusRanges(lows, highs);
    }

    private static int[] parsePart(String part) {
        if (part.matches("[1-5]xx")) {
            int base = (part.charAt(0) - '0') * 100;
            return new int[] {base, base + 99};
        }
        if (part.matches("\\d{3}")) {
            int code = Integer.parseInt(part);
            return new int[] {code, code};
        }
        if (part.matches("\\d{3}-\\d{3}")) {
            return new int[] {Integer.parseInt(part.substring(0, 3)), Integer.parseInt(part.substring(4))};
        }
        return null;
    }

    public boolean matches(int status) {
        for (int i = 0; i < lows.length; i++) {
            if (status >= lows[i] && status <= highs[i]) {
                return true;
            }
        }
        return false;
    }
}
