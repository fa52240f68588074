package org.g2gnet.topology;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case, dash-separated names that users type for enum constants. */
public final class EnumNames {
    private EnumNames() {
    }

    /**
     * @param type  the enum
     * @param value what the user typed ("index", "hebbian-magnitude", ...), case-insensitive
     * @param what  what the value is, for the error ("grouping", "prune criterion", ...)
     * @param <E>   the enum type
     * @return the constant
     * @throws IllegalArgumentException naming the value and every allowed name
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        if (value != null) {
            String key = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(key)) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException("Unknown " + what + " '" + value + "': expected " + allowed(type));
    }

    /**
     * @param type the enum
     * @return "a, b or c" with the user-facing names
     */
    public static String allowed(Class<? extends Enum<?>> type) {
        String[] names = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toArray(String[]::new);
        return names.length == 1 ? names[0]
                : Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", ")) + " or "
                + names[names.length - 1];
    }
}
