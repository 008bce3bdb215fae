package org.fedoraproject.releng.workflow.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} tells about processes, enough to recognise a process group the engine
 * started in an earlier life: group ids, start times and the boot id. Elsewhere it knows nothing,
 * and a group it cannot recognise is never signalled.
 */
final class ProcessTable {

    private static final Path PROC = Path.of("/proc");
    private static final Path BOOT_ID = PROC.resolve("sys/kernel/random/boot_id");

    /** One process: its state letter, process group and start time (clock ticks since boot). */
    record Entry(long pid, String state, long group, long startTicks) {

        /** A zombie has ended: only its parent's bookkeeping is left, and no signal reaches it. */
        boolean live() {
            return !state.equals("Z") && !state.equals("X");
        }
    }

    private ProcessTable() {}

    static Optional<String> bootId() {
        try {
            return Optional.of(Files.readString(BOOT_ID).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The instance string of {@link ProcessGroup} for the process {@code pid}, when it still runs. */
    static Optional<String> instanceOf(long pid) {
        Optional<String> boot = bootId();
        Optional<Entry> entry = entry(pid);
        if (boot.isEmpty() || entry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(boot.get() + "/" + entry.get().startTicks());
    }

    static Optional<Entry> entry(long pid) {
        try {
            return Optional.of(
                    parse(pid, Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            // gone (or never there); a malformed line would mean a kernel we do not understand
            return Optional.empty();
        }
    }

    /** Live processes whose process group is {@code group}. */
    static List<Entry> membersOf(long group) {
        try (Stream<Path> all = Files.list(PROC)) {
            return all.map(p -> p.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .map(name -> entry(Long.parseLong(name)))
                    .flatMap(Optional::stream)
                    .filter(e -> e.group() == group && e.live())
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * {@code pid (comm) state ppid pgrp session ... starttime ...}: the command may hold spaces
     * and parentheses, so fields are counted from the last ')'. starttime is field 22 of proc(5).
     */
    private static Entry parse(long pid, String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        return new Entry(pid, fields[0], Long.parseLong(fields[2]), Long.parseLong(fields[19]));
    }
}
