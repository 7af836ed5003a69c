package io.fulcrum.ctl.connect;

import io.fulcrum.config.process.DurationText;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --timeout}: whole seconds ({@code 15}) or a duration ({@code 90s}, {@code 5m}), as seconds rounded up. */
final class TimeoutSeconds implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty() && value.length() < 10) {
            return Integer.parseInt(value);
        }
        try {
            long millis = DurationText.parse(value).toMillis();
            return (int) Math.min(Integer.MAX_VALUE, (millis + 999) / 1000);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a number of seconds or a duration such as 30s or 5m");
        }
    }
}
