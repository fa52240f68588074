package org.g2gnet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Java snippets of the README and of docs/ are run by tests that hold a copy between the markers
 * {@code // --- from README.md, "SECTION" ---} (or {@code docs/NAME.md}) and {@code // --- end of the snippet ---};
 * this test checks every such copy, in every module's tests, against the document's own text: the copy's lines (indentation aside) must stand, in
 * order and together, in a Java block of that section. So a snippet edited in the README but not in its test (or
 * the other way round) fails here.
 */
class ReadmeSnippetsMatchTest {
    private static final Pattern START = Pattern.compile("// --- from (README\\.md|docs/[A-Z-]+\\.md), \"([^\"]+)\" ---");
    private static final String END = "// --- end of the snippet ---";

    @Test
    void everyTestedSnippetStandsInItsReadmeSection() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root, 12)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/"))
                    .filter(p -> !p.toString().contains("/target/")).toList();
        }
        int checked = 0;
        List<String> problems = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = START.matcher(lines.get(i));
                if (!m.find() || lines.get(i).contains("Pattern.compile") || lines.get(i).strip().startsWith("*")) {
                    continue;
                }
                List<String> snippet = new ArrayList<>();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).contains(END)) {
                    if (!lines.get(j).isBlank()) {
                        snippet.add(lines.get(j).strip());
                    }
                    j++;
                }
                checked++;
                List<List<String>> blocks = javaBlocks(Files.readAllLines(root.resolve(m.group(1))), m.group(2));
                if (blocks.isEmpty()) {
                    problems.add(source.getFileName() + ":" + (i + 1) + ": no Java block in " + m.group(1)
                            + " section \"" + m.group(2) + "\"");
                } else if (blocks.stream().noneMatch(b -> contains(b, snippet))) {
                    problems.add(source.getFileName() + ":" + (i + 1) + ": the snippet is not in " + m.group(1)
                            + " section \"" + m.group(2) + "\" as written there");
                }
            }
        }
        assertTrue(checked >= 8, "snippet copies found: " + checked);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The Java blocks of the README section with this heading (any level), each as stripped non-blank lines. */
    private static List<List<String>> javaBlocks(List<String> readme, String heading) {
        List<List<String>> blocks = new ArrayList<>();
        int level = -1;
        List<String> block = null;
        for (String line : readme) {
            if (line.startsWith("#") && block == null) {
                int l = line.indexOf(' ');
                String title = line.substring(l + 1).strip();
                if (level < 0 && (title.equals(heading) || title.startsWith(heading + ":"))) {
                    level = l;
                    continue;
                }
                if (level >= 0 && l <= level) {
                    break;
                }
            }
            if (level < 0) {
                continue;
            }
            // a block may be indented (inside a list item)
            if (line.strip().startsWith("```java")) {
                block = new ArrayList<>();
            } else if (line.strip().startsWith("```") && block != null) {
                blocks.add(block);
                block = null;
            } else if (block != null && !line.isBlank()) {
                block.add(line.strip());
            }
        }
        return blocks;
    }

    private static boolean contains(List<String> block, List<String> snippet) {
        for (int start = 0; start + snippet.size() <= block.size(); start++) {
            if (block.subList(start, start + snippet.size()).equals(snippet)) {
                return true;
            }
        }
        return false;
    }
}
