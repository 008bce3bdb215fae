package org.fedoraproject.releng.workflow.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Finding and reading the definition files at the top of the catalog directory. Whoever can write
 * to the catalog is trusted to define workflows, not to make the engine read files elsewhere, block
 * on a pipe or spend minutes parsing: so a definition must be a regular file of bounded size in
 * UTF-8, and a link must end at such a file inside the catalog.
 */
final class DefinitionFiles {

    /** Definitions are a few kilobytes; this leaves room and keeps a reload well under a second. */
    static final int MAX_BYTES = 256 * 1024;

    /** Why a definition file cannot be used; the message follows the file's name. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    private final Path dir;

    DefinitionFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * The candidate files, sorted. Links are listed whatever they point to, so that one leading
     * outside or nowhere is reported instead of silently skipped; other non-files are not definitions.
     */
    Stream<Path> list(Stream<Path> entries) {
        return entries.filter(p -> CatalogLoader.isDefinitionFile(p)
                        && (Files.isSymbolicLink(p) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)))
                .sorted();
    }

    String read(Path file) throws Unreadable {
        Path real = checkedTarget(file);
        byte[] bytes;
        // no link is followed at the last step: one swapped in since the check above is not read
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            // read at most one byte too many, so that a file growing meanwhile is still caught
            bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                long size = Math.max(Files.size(real), bytes.length);
                throw new Unreadable("is " + size + " bytes; a definition may have at most " + MAX_BYTES + " ("
                        + MAX_BYTES / 1024 + " KiB)");
            }
        } catch (NoSuchFileException e) {
            throw new Unreadable("disappeared while the catalog was being read");
        } catch (IOException e) {
            throw new Unreadable("cannot read: " + reason(e));
        }
        return utf8(bytes);
    }

    /** The file to read: the file itself, or the end of its link once that is known to be safe. */
    private Path checkedTarget(Path file) throws Unreadable {
        if (!Files.isSymbolicLink(file)) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new Unreadable("disappeared while the catalog was being read");
            }
            return file;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Unreadable("is a link to a file that does not exist");
        } catch (IOException e) {
            throw new Unreadable("is a link that cannot be followed: " + reason(e));
        }
        try {
            if (!real.startsWith(dir.toRealPath())) {
                throw new Unreadable("is a link to a file outside the catalog directory");
            }
        } catch (IOException e) {
            throw new Unreadable("cannot resolve the catalog directory: " + reason(e));
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new Unreadable("is a link to something that is not a file");
        }
        return real;
    }

    /** What went wrong without the absolute path, which a public error list has no business showing. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getClass().getSimpleName();
    }

    private static String utf8(byte[] bytes) throws Unreadable {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new Unreadable("is not UTF-8 text (invalid byte at offset " + in.position() + ")");
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
