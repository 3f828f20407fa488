package com.example.subscriptions.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The package stack of the README's code map, held against the compiled main classes: a class may use only the
 * packages its package's row names. The README is the one place the stack is written down.
 */
class PackageStackTest {

    private static final String ROOT = "com.example.subscriptions";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z]+)` \\|.*\\| ([^|]+) \\|$");
    private static final Pattern PACKAGE_NAME = Pattern.compile("`([a-z]+)`");
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(ROOT);

    /** Package to the packages it may use; null for "every package". */
    static Map<String, Set<String>> codeMap() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Code map");
        assertTrue(start >= 0, "README.md has no '## Code map' section");
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                String uses = row.group(2).strip();
                Set<String> packages = new TreeSet<>();
                Matcher names = PACKAGE_NAME.matcher(uses);
                while (names.find()) {
                    packages.add(names.group(1));
                }
                allowed.put(row.group(1), uses.equals("every package") ? null : packages);
            }
        }
        assertTrue(allowed.size() > 5, "the code map table was not found in README.md: " + allowed);
        return allowed;
    }

    @Test
    void everyMainPackageHasARowInTheCodeMap() throws IOException {
        Set<String> packages =
                MAIN.stream().map(PackageStackTest::ourPackage).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(
                new TreeSet<>(codeMap().keySet()),
                packages,
                "the packages under " + ROOT + " and the rows of the README's code map differ");
    }

    @Test
    void noClassUsesAPackageItsRowDoesNotName() throws IOException {
        Map<String, Set<String>> allowed = codeMap();
        List<String> violations = new ArrayList<>();
        for (JavaClass type : MAIN) {
            String from = ourPackage(type);
            Set<String> may = allowed.get(from);
            if (may == null) {
                continue;
            }
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                if (!target.getPackageName().startsWith(ROOT + ".")) {
                    continue;
                }
                String to = ourPackage(target);
                if (!to.equals(from) && !may.contains(to)) {
                    violations.add(from + " -> " + to + ": " + dependency.getDescription());
                }
            }
        }
        assertTrue(
                violations.isEmpty(),
                "uses against the README's package stack:\n"
                        + String.join("\n", violations.stream().distinct().toList()));
    }

    private static String ourPackage(JavaClass type) {
        String rest = type.getPackageName().substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
