package org.fedoraproject.releng.workflow.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.fedoraproject.releng.workflow.ansible.PlaybookRunner;

/**
 * Where runs keep their private files (the extra vars with secret values, Ansible's local temp):
 * {@code <root>/nodes/<node>/<run id>-<random>}. A run removes its own when it ends; a node that
 * died cannot, so at start it erases what is left in its directory. Nodes may share the data
 * directory, hence one directory per node: a node must not erase a directory another node's run
 * is using.
 */
final class ScratchSpace {

    /** Before directories per node, every run's directory sat in the root. */
    private static final Pattern UNOWNED = Pattern.compile("(\\d+)-[0-9a-f]+");

    private final Path root;
    private final Path mine;

    ScratchSpace(Path root, String node) {
        this.root = root;
        this.mine = root.resolve("nodes").resolve(directoryName(node));
    }

    /** A node name as one safe path element, different for different names ("a/b", "..", ""). */
    static String directoryName(String node) {
        String encoded = URLEncoder.encode(node, StandardCharsets.UTF_8);
        return encoded.isEmpty() || encoded.chars().allMatch(c -> c == '.')
                ? "%" + encoded.replace(".", "%2E")
                : encoded;
    }

    Path forRun(long runId) {
        return mine.resolve(runId + "-" + Long.toHexString(System.nanoTime()));
    }

    /**
     * Erases this node's directories except those of {@code keep}, and the directories of the
     * layout without nodes whose run is not {@code running} any more; returns how many.
     */
    int eraseLeftovers(Set<Long> keep, LongPredicate running) {
        int erased = 0;
        for (Path dir : entries(mine)) {
            Matcher m = UNOWNED.matcher(dir.getFileName().toString());
            if (!m.matches() || !keep.contains(Long.parseLong(m.group(1)))) {
                PlaybookRunner.deleteTree(dir);
                erased++;
            }
        }
        for (Path dir : entries(root)) {
            Matcher m = UNOWNED.matcher(dir.getFileName().toString());
            if (m.matches() && !running.test(Long.parseLong(m.group(1)))) {
                PlaybookRunner.deleteTree(dir);
                erased++;
            }
        }
        return erased;
    }

    private static List<Path> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + " (its run directories may hold secrets)", e);
        }
    }
}
