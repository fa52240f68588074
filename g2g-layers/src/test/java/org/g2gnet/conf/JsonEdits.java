package org.g2gnet.conf;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/** Helpers of the JSON validation tests: a field's value replaced, and the message a failure ends with. */
final class JsonEdits {
    private JsonEdits() {
    }

    /** The JSON with the first occurrence of one field replaced. */
    static String with(String json, String field, String value) {
        String bad = json.replaceFirst("\"" + field + "\" : [^,\\n]+", "\"" + field + "\" : " + value);
        assertNotEquals(json, bad, field + " not found in " + json);
        return bad;
    }

    /** The message of the IllegalArgumentException {@code e} throws. */
    static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    /** The message of the innermost cause: what Jackson and DL4J wrap. */
    static String rootMessage(Executable e) {
        Throwable t = assertThrows(Exception.class, e);
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
