package io.fulcrum.config.process;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as flags take them: a number and a unit ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}), or {@code 0}. */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private DurationText() {
    }

    /** @throws IllegalArgumentException saying what is expected */
    public static Duration parse(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (expected: a number and "
                    + "one of ms, s, m, h, d, e.g. 24h; or 0)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
