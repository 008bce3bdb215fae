package org.fedoraproject.releng.workflow.log;

import org.fedoraproject.releng.workflow.EngineException;

/** A search that cannot be run as asked: an invalid or too costly pattern, a bad limit. */
public final class SearchRejectedException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public SearchRejectedException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The query parameter at fault ({@code q}, {@code limit}, {@code after}). */
    public String field() {
        return field;
    }

    public String problem() {
        return getMessage().substring(field.length() + 2);
    }
}
