package dev.gantry.server.knowledge;

import dev.gantry.server.openai.ApiException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code multipart/form-data} body (RFC 7578) split into its parts, in memory: the body was already read under
 * the upload limit. Helidon's own multipart module is not served for 4.5.0 here, and uploads need only this much of
 * RFC 2046 section 5.1.1: delimiters {@code CRLF--boundary}, the close delimiter {@code --boundary--}, a preamble
 * and epilogue to ignore, and per part the headers before the first empty line. A malformed body is a 400.
 *
 * @param parts the parts in body order
 */
record MultipartForm(List<Part> parts) {

    /**
     * One part.
     *
     * @param name        the form field ({@code Content-Disposition: form-data; name="..."})
     * @param fileName    the {@code filename} parameter ({@code filename*} of RFC 5987 preferred), or null for a
     *                    plain field
     * @param contentType the part's {@code Content-Type}, or null
     */
    record Part(String name, String fileName, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    MultipartForm {
        parts = List.copyOf(parts);
    }

    /** The boundary parameter of a {@code multipart/form-data} content type. */
    static String boundary(String contentType) {
        Map<String, String> params = parameters(contentType.substring(contentType.indexOf(';') + 1));
        String boundary = params.get("boundary");
        // RFC 2046: 1 to 70 characters
        if (contentType.indexOf(';') < 0 || boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw ApiException.invalid("a multipart/form-data body needs a boundary parameter of 1-70 characters"
                    + " in its Content-Type", null);
        }
        return boundary;
    }

    static MultipartForm parse(byte[] body, String boundary) {
        byte[] dash = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = startsWith(body, 0, dash) ? 0 : indexOf(body, delimiter, 0);
        if (at < 0) {
            throw malformed("no boundary '" + boundary + "' found");
        }
        at += at == 0 && startsWith(body, 0, dash) ? dash.length : delimiter.length;
        List<Part> parts = new ArrayList<>();
        while (true) {
            if (startsWith(body, at, new byte[] {'-', '-'})) {
                return new MultipartForm(parts);  // the close delimiter; the epilogue is ignored
            }
            at = skipLine(body, at);  // transport padding, then CRLF
            int next = indexOf(body, delimiter, at);
            if (next < 0) {
                throw malformed("part " + (parts.size() + 1) + " has no closing boundary");
            }
            parts.add(part(body, at, next, parts.size() + 1));
            at = next + delimiter.length;
        }
    }

    private static Part part(byte[] body, int from, int to, int number) {
        int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, from);
        Map<String, String> headers = new LinkedHashMap<>();
        int bodyStart;
        if (from + 1 < to && body[from] == '\r' && body[from + 1] == '\n') {
            bodyStart = from + 2;  // no headers at all
        } else if (headersEnd < 0 || headersEnd > to) {
            throw malformed("part " + number + " has no empty line after its headers");
        } else {
            // RFC 7578 section 5.1: header values may carry UTF-8 file names
            for (String line : new String(body, from, headersEnd - from, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw malformed("part " + number + " has a header line without a colon: '" + line + "'");
                }
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            bodyStart = headersEnd + 4;
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw malformed("part " + number + " lacks 'Content-Disposition: form-data'");
        }
        Map<String, String> params = parameters(disposition.substring("form-data".length()));
        String name = params.get("name");
        if (name == null) {
            throw malformed("part " + number + " has no field name");
        }
        String fileName = Optional.ofNullable(params.get("filename*")).map(MultipartForm::extendedValue)
                .orElse(params.get("filename"));
        byte[] content = java.util.Arrays.copyOfRange(body, bodyStart, to);
        return new Part(name, fileName, headers.get("content-type"), content);
    }

    /** {@code ; key=value; key="quoted \" value"} pairs; keys lower-cased. */
    static Map<String, String> parameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ';' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ';') {
                    value.append(text.charAt(i++));
                }
            }
            out.put(key, value.toString().strip());
        }
        return out;
    }

    /** RFC 5987 {@code charset'language'percent-encoded}; only UTF-8 is used in practice (RFC 8187). */
    private static String extendedValue(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0 || !value.substring(0, first).equalsIgnoreCase("utf-8")) {
            throw malformed("filename* must be UTF-8''<percent-encoded>, got '" + value + "'");
        }
        return URLDecoder.decode(value.substring(second + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static int skipLine(byte[] body, int at) {
        int crlf = indexOf(body, new byte[] {'\r', '\n'}, at);
        if (crlf < 0) {
            throw malformed("a boundary line does not end");
        }
        return crlf + 2;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] needle, int from) {
        int last = body.length - needle.length;
        for (int i = from; i <= last; i++) {
            if (body[i] == needle[0] && startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static ApiException malformed(String what) {
        return ApiException.invalid("malformed multipart/form-data body: " + what, null, "invalid_multipart");
    }
}
