package org.fedoraproject.releng.workflow.cli;

import java.net.URI;

/** Where the engine is and how to prove who we are; {@code token} is null for anonymous reads. */
record Connection(URI server, String token, String tokenSource) {

    @Override
    public String toString() {
        return "Connection[server=" + server + ", token from " + tokenSource + "]";
    }
}
