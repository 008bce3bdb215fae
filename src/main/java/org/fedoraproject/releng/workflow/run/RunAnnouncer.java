package org.fedoraproject.releng.workflow.run;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Who tells the world about run changes (the buses); the lifecycle asks it on every change. */
public interface RunAnnouncer {

    /**
     * The messages announcing that a run became {@code after.status()}, built before the change is
     * stored and written with it. {@code startedBy} looks up the message that started the run
     * (asked only when needed).
     */
    List<Announcement> announce(Run after, Supplier<Optional<TriggerMessage>> startedBy);

    /** The change to {@code run.status()} is committed (its announcements are in the outbox). */
    void committed(Run run);

    /** This announcer, and {@code observer} told of each change once it has committed. */
    default RunAnnouncer observedBy(RunObserver observer) {
        RunAnnouncer announcer = this;
        return new RunAnnouncer() {
            @Override
            public List<Announcement> announce(Run after, Supplier<Optional<TriggerMessage>> startedBy) {
                return announcer.announce(after, startedBy);
            }

            @Override
            public void committed(Run run) {
                announcer.committed(run);
                observer.transitioned(run);
            }
        };
    }

    RunAnnouncer NONE = new RunAnnouncer() {
        @Override
        public List<Announcement> announce(Run after, Supplier<Optional<TriggerMessage>> startedBy) {
            return List.of();
        }

        @Override
        public void committed(Run run) {}
    };
}
