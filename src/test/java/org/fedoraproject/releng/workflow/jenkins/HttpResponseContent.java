package org.fedoraproject.releng.workflow.jenkins;

import java.util.List;
import java.util.Map;

/** What {@code httpRequest} returns in Pipeline (the plugin's ResponseContentSupplier): status, content, headers. */
public final class HttpResponseContent {

    private final int status;
    private final String content;
    private final Map<String, List<String>> headers;

    HttpResponseContent(int status, String content, Map<String, List<String>> headers) {
        this.status = status;
        this.content = content;
        this.headers = headers;
    }

    public int getStatus() {
        return status;
    }

    public String getContent() {
        return content;
    }

    public Map<String, List<String>> getHeaders() {
        return headers;
    }
}
