package com.example.subscriptions.observability;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads: what is left once strings, labels, ranges and functions are gone. */
final class PromQlNames {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?\\w+");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "inf",
            "nan");

    private PromQlNames() {}

    static Set<String> of(String expression) {
        String rest = GRAFANA_VARIABLE.matcher(expression).replaceAll("1");
        rest = STRING.matcher(rest).replaceAll("\"\"");
        rest = removeAll(MATCHERS, rest);
        rest = RANGE.matcher(rest).replaceAll("");
        rest = LABEL_LISTS.matcher(rest).replaceAll("");
        rest = OFFSET.matcher(rest).replaceAll("");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            boolean function = identifier.group(2) != null;
            String word = identifier.group(1);
            if (!function && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    /** Matchers hold no braces of their own once strings are blanked, so one pass takes them all. */
    private static String removeAll(Pattern pattern, String text) {
        return pattern.matcher(text).replaceAll("");
    }
}
