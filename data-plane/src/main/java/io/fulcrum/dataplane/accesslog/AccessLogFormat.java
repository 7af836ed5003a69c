package io.fulcrum.dataplane.accesslog;

import io.fulcrum.config.schema.AnnotationKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An access-log line template such as {@code $remote_addr $host "$request" $status}: literal text
 * and {@code $variables} (the list is {@link AnnotationKey#ACCESS_LOG_VARIABLES}). Values from the
 * request are escaped like nginx does ({@code "}, {@code \} and bytes outside printable ASCII as
 * {@code \xHH}), so a line never breaks and quotes in the template keep their meaning; absent
 * values print as {@code -}. Immutable.
 */
public final class AccessLogFormat {
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-z_]+)");

    private final List<String> literals;
    private final List<String> variables;

    private AccessLogFormat(List<String> literals, List<String> variables) {
        this.literals = List.copyOf(literals);
        this.variables = List.copyOf(variables);
    }

    /** @throws IllegalArgumentException for an unknown variable (the config model rejects those first) */
    public static AccessLogFormat parse(String template) {
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        Matcher matcher = VARIABLE.matcher(template);
        int last = 0;
        while (matcher.find()) {
            if (!AnnotationKey.ACCESS_LOG_VARIABLES.contains(matcher.group(1))) {
                throw new IllegalArgumentException("unknown access-log variable $" + matcher.group(1));
            }
            literals.add(template.substring(last, matcher.start()));
            variables.add(matcher.group(1));
            last = matcher.end();
        }
        literals.add(template.substring(last));
        return new AccessLogFormat(literals, variables);
    }

    public String render(AccessEntry entry) {
        StringBuilder line = new StringBuilder(128);
        for (int i = 0; i < variables.size(); i++) {
            line.append(literals.get(i));
            append(line, variables.get(i), entry);
        }
        return line.append(literals.get(variables.size())).toString();
    }

    private static void append(StringBuilder line, String variable, AccessEntry e) {
        switch (variable) {
            case "time" -> line.append(Instant.ofEpochMilli(e.timeMillis()));
            case "remote_addr" -> escaped(line, e.remoteAddr());
            case "remote_port" -> number(line, e.remotePort());
            case "listener" -> escaped(line, e.listener());
            case "host" -> escaped(line, e.host());
            case "request" -> {
                escaped(line, e.method());
                escaped(line.append(' '), e.uri());
                escaped(line.append(' '), e.protocol());
            }
            case "method" -> escaped(line, e.method());
            case "uri" -> escaped(line, e.uri());
            case "protocol" -> escaped(line, e.protocol());
            case "status" -> number(line, e.status());
            case "bytes" -> number(line, e.bytes());
            case "request_bytes" -> number(line, e.requestBytes());
            case "duration_ms" -> line.append(e.durationMicros() / 1000).append('.')
                    .append((char) ('0' + e.durationMicros() / 100 % 10)).append((char) ('0' + e.durationMicros() / 10 % 10))
                    .append((char) ('0' + e.durationMicros() % 10));
            case "upstream" -> escaped(line, e.upstream());
            case "group" -> escaped(line, e.group());
            case "server" -> escaped(line, e.server());
            default -> throw new IllegalStateException("unhandled access-log variable $" + variable);
        }
    }

    private static void number(StringBuilder line, long value) {
        if (value < 0) {
            line.append('-');
        } else {
            line.append(value);
        }
    }

    private static void escaped(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            line.append('-');
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                line.append("\\x").append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                line.append(c);
            }
        }
    }
}
