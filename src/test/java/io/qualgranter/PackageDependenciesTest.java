package io.qualgranter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The packages of {@code src/main/java} form no cycle (issue 12), read from the sources' imports and
 * same-named references: the row types at the bottom import no other package of the project.
 */
class PackageDependenciesTest {

    static final Path SOURCES = Path.of("src/main/java/io/qualgranter");
    static final Pattern PROJECT_IMPORT = Pattern.compile("^import (?:static )?io\\.qualgranter\\.((?:[a-z]+\\.)*)[A-Z]",
            Pattern.MULTILINE);

    /** Each package (the root as "(root)") → the project packages its sources import. */
    static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = packageOf(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
                Set<String> to = graph.computeIfAbsent(from, p -> new TreeSet<>());
                Matcher m = PROJECT_IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String target = packageOf(m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1));
                    if (!target.equals(from)) {
                        to.add(target);
                    }
                }
            }
        }
        return graph;
    }

    static String packageOf(String relative) {
        return relative.isEmpty() ? "(root)" : relative;
    }

    @Test
    void thePackagesFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = imports();
        assertThat(graph).containsKeys("(root)", "row", "job", "grant", "cli");
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            findCycles(graph, List.of(start), cycles);
        }
        assertThat(cycles).as("import cycles between packages").isEmpty();
    }

    @Test
    void theRowTypesImportNoOtherPackageOfTheProject() throws IOException {
        assertThat(imports().get("row")).isEmpty();
    }

    private static void findCycles(Map<String, Set<String>> graph, List<String> path, List<String> cycles) {
        for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
            if (next.equals(path.get(0))) {
                cycles.add(String.join(" -> ", path) + " -> " + next);
            } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                findCycles(graph, longer, cycles);
            }
        }
    }
}
