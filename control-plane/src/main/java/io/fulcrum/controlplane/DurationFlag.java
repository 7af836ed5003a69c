package io.fulcrum.controlplane;

import io.fulcrum.config.process.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** A duration flag: a number and a unit ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 7d}), or {@code 0}. */
final class DurationFlag implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
