package org.fedoraproject.releng.workflow.jenkins;

import groovy.lang.Closure;
import groovy.lang.Script;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Base class for a vars/ script under test: the Pipeline steps it calls resolve to these methods,
 * as in Jenkins they resolve to steps through CpsScript. The {@link FakeJenkins} comes from the
 * binding variable {@code jenkins}; {@code env} is a binding variable too.
 */
public abstract class FakePipelineScript extends Script {

    private FakeJenkins jenkins() {
        return (FakeJenkins) getBinding().getVariable("jenkins");
    }

    public Object httpRequest(Map<String, Object> args) throws IOException, InterruptedException {
        return jenkins().httpRequest(args);
    }

    public void echo(Object message) {
        jenkins().echo(message);
    }

    public void error(Object message) {
        jenkins().error(message);
    }

    public Object withCredentials(List<Map<String, Object>> bindings, Closure<?> body) {
        return jenkins().withCredentials(bindings, body);
    }

    public Map<String, Object> string(Map<String, Object> args) {
        return jenkins().string(args);
    }

    public void sleep(Map<String, Object> args) throws InterruptedException {
        jenkins().sleep(args);
    }
}
