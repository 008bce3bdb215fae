// relengWorkflow: runs a Releng Workflow Engine workflow from a Jenkins Pipeline (docs/jenkins.md).
//
// Needs the HTTP Request plugin (httpRequest), Credentials Binding (withCredentials + a "Secret
// text" credential) and Pipeline: Basic Steps (echo, error, sleep). It parses JSON with
// JsonSlurperClassic, so load it as a trusted Global Pipeline Library (or approve those signatures).
import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonOutput
import groovy.json.JsonSlurperClassic

// The engine's final statuses (rejected: reserved for approvals); waiting_approval, queued and running are the others.
@groovy.transform.Field
static final List<String> FINAL = ['succeeded', 'failed', 'cancelled', 'timed_out', 'lost', 'rejected']

@groovy.transform.Field
static final List<String> ARGUMENTS = ['workflow', 'parameters', 'options', 'wait', 'follow', 'credentialsId',
                                       'server', 'propagate', 'pollInterval']

// Polls slow down to this while nothing changes: each poll records steps (and a "Sleeping for"
// line) in the build, so a six-hour compose must not poll every two seconds throughout.
@groovy.transform.Field
static final long SLOWEST_POLL_MILLIS = 15000

// A proxy or an engine restart answers 502/503 for a moment; that many in a row fail the build.
@groovy.transform.Field
static final int SERVER_ERRORS_TOLERATED = 5

/**
 * Triggers {@code workflow} with {@code parameters}; by default waits for the run to end and fails
 * the build unless it succeeded. Returns {@code [id:, number:, status:, url:, outputs:, dryRun:]}:
 * {@code outputs} is what the playbook published with set_stats (empty until the run has ended).
 */
def call(Map args = [:]) {
    for (String key : args.keySet()) {
        if (!ARGUMENTS.contains(key)) {
            error("relengWorkflow: unknown argument `${key}`; it takes ${ARGUMENTS.join(', ')}")
        }
    }
    String workflow = args.workflow
    if (!workflow) {
        error('relengWorkflow: `workflow` is required, e.g. relengWorkflow(workflow: \'compose-nightly\', ...)')
    }
    if (!args.credentialsId) {
        error('relengWorkflow: `credentialsId` is required: the id of a "Secret text" credential holding an engine API token')
    }
    String server = (args.server ?: env.RELENG_URL)?.toString()?.replaceAll('/+$', '')
    if (!server) {
        error('relengWorkflow: no engine URL: pass `server:` or set RELENG_URL in the environment')
    }
    boolean follow = args.follow == true
    boolean await = follow || (args.containsKey('wait') ? args.wait as boolean : true)
    boolean propagate = args.containsKey('propagate') ? args.propagate as boolean : true
    long pollMillis = (((args.pollInterval ?: 2) as BigDecimal) * 1000) as long

    Map body = [parameters: args.parameters ?: [:]]
    if (args.options) {
        // launch options, e.g. [check: true, limit: 'compose-x86-*', tags: ['sync']]; the engine checks them
        if (!(args.options instanceof Map)) {
            error('relengWorkflow: `options` must be a map such as [check: true]')
        }
        body.options = args.options
    }
    if (env.BUILD_URL) {
        // who asked, so the engine's history can link back to this build
        body.cause = [type: 'pipeline', detail: env.BUILD_URL.toString()]
    }

    Map result = null
    withCredentials([string(credentialsId: args.credentialsId, variable: 'RELENG_WORKFLOW_TOKEN')]) {
        Map run = trigger(server, workflow, body, args.credentialsId as String)
        echo("relengWorkflow: started ${workflow} #${run.number}: ${run.url}")
        if (await) {
            try {
                run = awaitApproval(server, workflow, run, pollMillis)
                run = follow && run.status != 'rejected'
                        ? followLog(server, run, pollMillis)
                        : waitForEnd(server, run, pollMillis)
            } catch (Throwable t) {
                if (isAbort(t)) {
                    // the build was aborted: take the run down with it, as the build step does downstream builds
                    echo("relengWorkflow: build aborted, cancelling ${workflow} #${run.number}")
                    api(server, 'POST', "/api/runs/${run.id}/cancel", null)
                }
                throw t
            }
        }
        result = [id: run.id, number: run.number, status: run.status, url: run.url,
                  outputs: run.outputs ?: [:], dryRun: run.dryRun ?: false]
        if (run.status == 'rejected') {
            // who refused it, or the timeout: the last line of its history
            result.reason = run.transitions ? run.transitions[-1].reason : 'rejected'
        }
    }
    if (await && result.status != 'succeeded') {
        String message = "relengWorkflow: ${workflow} #${result.number} ${result.status}: ${result.url}"
        if (result.status == 'rejected') {
            message += " (${result.reason})"
        }
        if (propagate) {
            error(message)
        }
        echo(message)
    }
    return result
}

Map trigger(String server, String workflow, Map body, String credentialsId) {
    Map r = api(server, 'POST', "/api/workflows/${workflow}/runs", toJson(body))
    if (r.status == 201) {
        return parseJson(r.content)
    }
    Map answer = parseJsonOrNull(r.content) ?: [:]
    String why = answer.error ?: "HTTP ${r.status}"
    switch (r.status) {
        case 400:
            if (answer.fields) {
                error("relengWorkflow: the engine refused the parameters of ${workflow}: ${describeFields(answer.fields)}")
            }
            error("relengWorkflow: the engine refused to start ${workflow}: ${why}")
            break
        case 401:
            error("relengWorkflow: the engine did not accept the token in credential '${credentialsId}': ${why}")
            break
        case 403:
            error("relengWorkflow: not allowed to run ${workflow} with credential '${credentialsId}': ${why}")
            break
        case 404:
            error("relengWorkflow: no workflow ${workflow} on ${server}: ${why}")
            break
        case 409:
            error("relengWorkflow: the engine refused to start ${workflow}: ${why}")
            break
        default:
            error("relengWorkflow: starting ${workflow} on ${server} failed with HTTP ${r.status}: ${why}")
    }
    return null
}

/** Echoes the console into the build log with the progressive protocol, then returns the final run. */
Map followLog(String server, Map run, long pollMillis) {
    long start = 0
    String partial = ''
    int serverErrors = 0
    long delay = pollMillis
    while (true) {
        Map r = api(server, 'GET', "/api/runs/${run.id}/log?start=${start}", null)
        if (r.status >= 500 && ++serverErrors <= SERVER_ERRORS_TOLERATED) {
            echo("relengWorkflow: the engine answered HTTP ${r.status}; trying again")
            pauseFor(SLOWEST_POLL_MILLIS)
            continue
        }
        requireOk(r, "reading the log of run ${run.id}")
        serverErrors = 0
        String text = partial + (r.content ?: '')
        int cut = text.lastIndexOf('\n')
        boolean more = header(r.headers, 'X-More-Data') == 'true'
        if (!more) {
            if (text) {
                echo(text.endsWith('\n') ? text.substring(0, text.length() - 1) : text)
            }
            break
        }
        // echo whole lines only, so a line split across two answers is not broken in two
        if (cut >= 0) {
            echo(text.substring(0, cut))
            partial = text.substring(cut + 1)
        } else {
            partial = text
        }
        String size = header(r.headers, 'X-Text-Size')
        delay = r.content ? pollMillis : slower(delay)
        if (size) {
            start = size as long
        }
        pauseFor(delay)
    }
    // the log ends only once the run is final, so this is the final answer
    return runState(server, run.id)
}

/**
 * While the run waits for approval, says so (again whenever an approval arrives) and polls; returns
 * the run once it has left waiting_approval: queued (approved) or rejected (denied or timed out).
 */
Map awaitApproval(String server, String workflow, Map run, long pollMillis) {
    long delay = pollMillis
    String told = null
    while (true) {
        if (run.status != 'waiting_approval') {
            if (told != null) {
                echo("relengWorkflow: ${workflow} #${run.number} ${run.status == 'rejected' ? 'was rejected' : 'was approved'}")
            }
            return run
        }
        Map approval = run.approval ?: [:]
        String progress = "${approval.approvals ?: 0} of ${approval.required ?: 1}"
        if (progress != told) {
            echo("relengWorkflow: ${workflow} #${run.number} is waiting for approval (${progress} so far, deadline ${approval.deadline}): ${run.url}")
            told = progress
        }
        pauseFor(delay)
        delay = slower(delay)
        run = runState(server, run.id)
    }
}

Map waitForEnd(String server, Map run, long pollMillis) {
    long delay = pollMillis
    while (!FINAL.contains(run.status)) {
        pauseFor(delay)
        delay = slower(delay)
        run = runState(server, run.id)
    }
    return run
}

void pauseFor(long millis) {
    sleep(time: millis as int, unit: 'MILLISECONDS')
}

static long slower(long millis) {
    return Math.min(millis + millis.intdiv(2), SLOWEST_POLL_MILLIS)
}

Map runState(String server, Object id) {
    int serverErrors = 0
    while (true) {
        Map r = api(server, 'GET', "/api/runs/${id}", null)
        if (r.status >= 500 && ++serverErrors <= SERVER_ERRORS_TOLERATED) {
            echo("relengWorkflow: the engine answered HTTP ${r.status}; trying again")
            pauseFor(SLOWEST_POLL_MILLIS)
            continue
        }
        requireOk(r, "reading run ${id}")
        return parseJson(r.content)
    }
}

void requireOk(Map r, String what) {
    if (r.status < 200 || r.status > 299) {
        Map answer = parseJsonOrNull(r.content) ?: [:]
        error("relengWorkflow: ${what} failed with HTTP ${r.status}: ${answer.error ?: r.content}")
    }
}

/** One call to the engine; every status comes back, so that the messages above can explain it. */
Map api(String server, String method, String path, String body) {
    Map request = [url                   : server + path,
                   httpMode              : method,
                   customHeaders         : [[name: 'Authorization', value: "Bearer ${env.RELENG_WORKFLOW_TOKEN}", maskValue: true]],
                   validResponseCodes    : '100:599',
                   quiet                 : true,
                   consoleLogResponseBody: false,
                   timeout               : 60]
    if (body != null) {
        request.contentType = 'APPLICATION_JSON'
        request.requestBody = body
    }
    def response = httpRequest(request)
    return [status: response.status as int, content: response.content as String, headers: response.headers]
}

static boolean isAbort(Throwable t) {
    return t instanceof InterruptedException || t.getClass().getName() == 'org.jenkinsci.plugins.workflow.steps.FlowInterruptedException'
}

/** Header lookup ignoring case: HTTP/2 and some proxies lower-case the names. */
@NonCPS
static String header(Map headers, String name) {
    if (headers == null) {
        return null
    }
    for (Map.Entry e : headers.entrySet()) {
        if (e.key != null && e.key.toString().equalsIgnoreCase(name)) {
            def value = e.value
            return value instanceof Collection ? (value ? value.iterator().next()?.toString() : null) : value?.toString()
        }
    }
    return null
}

@NonCPS
static String describeFields(Map fields) {
    return fields.collect { k, v -> "${k}: ${v}" }.sort().join('; ')
}

@NonCPS
static String toJson(Object value) {
    return JsonOutput.toJson(value)
}

@NonCPS
static Map parseJson(String text) {
    return new JsonSlurperClassic().parseText(text) as Map
}

@NonCPS
static Map parseJsonOrNull(String text) {
    try {
        def parsed = new JsonSlurperClassic().parseText(text ?: '')
        return parsed instanceof Map ? parsed : null
    } catch (Exception ignored) {
        return null
    }
}
