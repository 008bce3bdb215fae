package org.fedoraproject.releng.workflow.config;

import org.fedoraproject.releng.workflow.EngineException;

/** The configuration is unusable; the message names the key and what is wrong with it. */
public class ConfigException extends EngineException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
