package io.fulcrum.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Where a request goes, as routing sees it: the host (lower case, without port and trailing dot;
 * empty when the request names none) and the path (the request target up to {@code ?}).
 *
 * @param originForm the request target to send to the server when the client used the absolute
 *                   form ({@code http://host/path}); null when the target is forwarded as it came
 * @param authority  the Host header to send with {@code originForm}
 */
record RequestTarget(String host, String path, String originForm, String authority) {

    /** The target of {@code request}; null when its target or Host header is malformed. */
    static RequestTarget of(HttpRequest request) {
        String uri = request.uri();
        if (uri.startsWith("/")) {
            String host = host(request.headers().get(HttpHeaderNames.HOST));
            return host == null ? null : new RequestTarget(host, path(uri), null, null);
        }
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            int end = 7;
            while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
                end++;
            }
            String authority = uri.substring(7, end);
            String host = authority.isEmpty() || authority.indexOf('@') >= 0 ? null : host(authority);
            String rest = end == uri.length() ? "/" : uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end);
            return host == null ? null : new RequestTarget(host, path(rest), rest, authority);
        }
        if (uri.equals("*") && request.method() == HttpMethod.OPTIONS) {
            String host = host(request.headers().get(HttpHeaderNames.HOST));
            return host == null ? null : new RequestTarget(host, "*", null, null);
        }
        return null;
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** The host of a Host value, normalized; "" for none; null when malformed. */
    static String host(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty() || value.length() > 255 || !validHostChars(value)) {
            return null;
        }
        int end;
        if (value.charAt(0) == '[') {
            end = value.indexOf(']') + 1;
            if (end == 0 || (end < value.length() && value.charAt(end) != ':')) {
                return null;
            }
        } else {
            end = value.indexOf(':');
            if (end < 0) {
                end = value.length();
            } else if (value.indexOf(':', end + 1) >= 0) {
                return null;
            }
        }
        if (end < value.length() && !validPort(value, end + 1)) {
            return null;
        }
        if (end > 0 && value.charAt(end - 1) == '.') {
            end--;
        }
        String host = value.substring(0, end);
        return lowerCase(host);
    }

    private static boolean validPort(String value, int from) {
        if (from == value.length() || value.length() - from > 5) {
            return from == value.length();
        }
        for (int i = from; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 3986 reg-name, IP literal and port characters. */
    private static boolean validHostChars(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=%:[]".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String lowerCase(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return host.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return host;
    }
}
