package org.fedoraproject.releng.workflow.catalog;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.fedoraproject.releng.workflow.access.WorkflowAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in force: loaded at start and reloaded whenever a file in the catalog directory
 * changes, so that a {@code git pull} in {@code workflows/} takes effect without a restart. The
 * watcher outlives anything the directory holds or suffers: a reload that fails is logged and the
 * next change reloads again, and a directory replaced by a fresh checkout is watched anew.
 *
 * <p>It also remembers, for every workflow id, the last valid definition loaded during this
 * engine's life ("last known good"). A file that breaks or disappears must not change who may
 * read the workflow's runs, so access decisions and already-queued runs use that definition. Nothing
 * is persisted: after a restart, a workflow whose file is broken or gone has no known definition,
 * and {@link #access} then answers "restricted", because its visibility cannot be known.
 */
public final class CatalogService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);
    /** Editors and git write several files in a burst; one reload after the burst is enough. */
    private static final long SETTLE_MILLIS = 150;
    /** How often the watcher checks that the directory it watches is still the catalog directory. */
    private static final long RECHECK_SECONDS = 2;

    private final CatalogLoader loader;
    private final AtomicReference<Catalog> current = new AtomicReference<>(Catalog.empty());
    private final Map<String, WorkflowDefinition> lastKnownGood = new ConcurrentHashMap<>();
    private final List<Consumer<Catalog>> listeners = new CopyOnWriteArrayList<>();
    private WatchService watcher;
    private WatchKey watching;
    private Object watchedDirectory;
    private Thread thread;

    public CatalogService(CatalogLoader loader) {
        this.loader = loader;
    }

    public Catalog current() {
        return current.get();
    }

    /**
     * The definition in force for access decisions and queued runs: the current one when the file
     * is valid, else the last valid one this engine loaded (the file is broken or was removed).
     */
    public Optional<WorkflowDefinition> lastKnownGood(String id) {
        return Optional.ofNullable(lastKnownGood.get(id));
    }

    /** Every workflow with a definition in force, valid now or last known good. */
    public Collection<WorkflowDefinition> lastKnownGood() {
        return List.copyOf(lastKnownGood.values());
    }

    /**
     * What the permission matrix should know of a workflow. Without a definition in force (broken
     * or removed before this engine ever loaded it) the workflow counts as restricted with no
     * entries of its own: only named global grants reach it.
     */
    public WorkflowAccess access(String id) {
        return lastKnownGood(id)
                .map(WorkflowDefinition::access)
                .orElseGet(() -> WorkflowAccess.restrictedWorkflow(id, List.of()));
    }

    public Path directory() {
        return loader.directory();
    }

    /** Called after every reload, with the new catalog. */
    public void onReload(Consumer<Catalog> listener) {
        listeners.add(listener);
    }

    public Catalog reload() {
        Catalog catalog = loader.load();
        catalog.workflows().forEach(w -> lastKnownGood.put(w.id(), w));
        current.set(catalog);
        for (BrokenWorkflow b : catalog.broken()) {
            log.warn("workflow {} is broken: {}", b.id(), String.join("; ", b.errors()));
        }
        log.info(
                "catalog loaded: {} workflows, {} broken",
                catalog.workflows().size(),
                catalog.broken().size());
        for (Consumer<Catalog> listener : listeners) {
            try {
                listener.accept(catalog);
            } catch (RuntimeException e) {
                log.error("catalog listener failed", e);
            }
        }
        return catalog;
    }

    public void startWatching() {
        try {
            watcher = FileSystems.getDefault().newWatchService();
            register();
        } catch (IOException e) {
            log.error("cannot watch {} for changes; the catalog reloads only on restart", loader.directory(), e);
            return;
        }
        thread = new Thread(this::watch, "catalog-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void register() throws IOException {
        Path dir = loader.directory();
        watchedDirectory = Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey();
        watching = dir.register(
                watcher,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void watch() {
        try {
            while (true) {
                boolean changed = false;
                WatchKey key = watcher.poll(RECHECK_SECONDS, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    // let the burst settle, draining what else arrives meanwhile
                    WatchKey more;
                    while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                        more.pollEvents();
                        more.reset();
                    }
                    changed = true;
                }
                if (!watchingTheCatalog()) {
                    changed |= watchAgain();
                }
                if (changed) {
                    reloadSurviving();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("catalog watcher stopped; the catalog reloads only on restart", e);
        }
    }

    /** False once the directory was deleted, or moved away and another put in its place. */
    private boolean watchingTheCatalog() {
        if (!watching.isValid()) {
            return false;
        }
        try {
            Object now = Files.readAttributes(loader.directory(), java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
            return Objects.equals(now, watchedDirectory);
        } catch (IOException e) {
            return false;
        }
    }

    /** Watches the directory now at the catalog path, if there is one yet. */
    private boolean watchAgain() {
        if (!Files.isDirectory(loader.directory())) {
            return false;
        }
        watching.cancel();
        try {
            register();
            log.info("the catalog directory {} was replaced; watching the new one", loader.directory());
            return true;
        } catch (IOException e) {
            log.warn("cannot watch the new catalog directory {} yet: {}", loader.directory(), e.getMessage());
            return false;
        }
    }

    private void reloadSurviving() {
        try {
            reload();
        } catch (RuntimeException e) {
            log.error("reloading the catalog failed; the previous catalog stays in force until the next change", e);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("closing the catalog watcher", e);
            }
        }
    }
}
