package dev.gantry.knowledge.store;

import java.util.regex.Pattern;

/**
 * Validation of tenant ids and collection names, which become directory names. Lower case only, so that two
 * tenants can never map to one directory on a case-insensitive file system; no dots or slashes, so a name can never
 * step outside its tenant's directory.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private Names() {
    }

    public static String tenant(String tenant) {
        return check("tenant id", tenant);
    }

    public static String collection(String name) {
        return check("collection name", name);
    }

    private static String check(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + value
                    + "': use 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return value;
    }
}
