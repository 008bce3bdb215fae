package org.fedoraproject.releng.workflow.ansible;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a playbook's events go as the engine's callback plugin sends them. Called from the one
 * thread that reads the channel, in the order Ansible produced them.
 */
public interface EventSink {

    /** The playbook is about to start; what the log holds now comes before any of its output. */
    void starting();

    /** One event as the plugin sent it (not yet masked). */
    void event(ObjectNode event);

    /** Something kept the events from being complete: a malformed or oversized frame, a broken channel. */
    void problem(String why);

    /** The channel is closed; {@code orderly} when the plugin said it was done. */
    void closed(boolean orderly);

    EventSink NONE = new EventSink() {
        @Override
        public void starting() {}

        @Override
        public void event(ObjectNode event) {}

        @Override
        public void problem(String why) {}

        @Override
        public void closed(boolean orderly) {}
    };
}
