package org.g2gnet.util;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one way user-typed names become enum constants: case-insensitive, dashes or underscores, plus optional
 * aliases ("paper" for the signed Hebbian score). Errors name the value and every accepted name.
 */
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
        return parse(type, value, what, Map.of());
    }

    /**
     * As {@link #parse(Class, String, String)}, also accepting other names for some constants.
     *
     * @param type    the enum
     * @param value   what the user typed
     * @param what    what the value is, for the error
     * @param aliases other accepted names (in the user-facing form, e.g. "paper") and their constants
     * @param <E>     the enum type
     * @return the constant
     * @throws IllegalArgumentException naming the value and every allowed name
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String what, Map<String, E> aliases) {
        if (value != null) {
            String key = key(value);
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(key)) {
                    return e;
                }
            }
            for (Map.Entry<String, E> a : aliases.entrySet()) {
                if (key(a.getKey()).equals(key)) {
                    return a.getValue();
                }
            }
        }
        throw new IllegalArgumentException("Unknown " + what + " '" + value + "': expected " + allowed(type, aliases));
    }

    /**
     * @param type the enum
     * @return "a, b or c" with the user-facing names
     */
    public static String allowed(Class<? extends Enum<?>> type) {
        return allowed(type, Map.of());
    }

    /**
     * @param type    the enum
     * @param aliases other accepted names
     * @return "a (alias), b or c" with the user-facing names
     */
    public static String allowed(Class<? extends Enum<?>> type, Map<String, ? extends Enum<?>> aliases) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> {
            String others = aliases.entrySet().stream().filter(a -> a.getValue() == e).map(Map.Entry::getKey).sorted()
                    .collect(Collectors.joining(", "));
            return name(e) + (others.isEmpty() ? "" : " (" + others + ")");
        }).toList();
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /**
     * @param e a constant
     * @return its user-facing name: lower case, dashes ("hebbian-magnitude")
     */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String key(String value) {
        return value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
