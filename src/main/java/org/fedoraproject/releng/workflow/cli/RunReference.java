package org.fedoraproject.releng.workflow.cli;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a run may be named on the command line: its id ({@code 17}), its workflow and number as
 * pages show them ({@code hello#2}), or a URL the engine gave ({@code …/job/hello/2/},
 * {@code …/runs/17}, {@code …/api/runs/17}), so that people can paste what they see.
 */
record RunReference(Long id, String workflow, Long number) {

    private static final Pattern ID = Pattern.compile("[0-9]+");
    private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9._-]+) ?#([0-9]+)");
    private static final Pattern JOB_PATH = Pattern.compile("/job/([A-Za-z0-9._-]+)/([0-9]+)(/.*)?");
    private static final Pattern ID_PATH = Pattern.compile("(?:/api)?/runs/([0-9]+)(/.*)?");

    static RunReference parse(String text) {
        String given = text.strip();
        if (ID.matcher(given).matches()) {
            return new RunReference(number(given), null, null);
        }
        Matcher named = NAMED.matcher(given);
        if (named.matches()) {
            return new RunReference(null, named.group(1), number(named.group(2)));
        }
        if (given.startsWith("http://") || given.startsWith("https://")) {
            String path;
            try {
                path = URI.create(given).getPath();
            } catch (IllegalArgumentException e) {
                throw usage(text);
            }
            Matcher job = JOB_PATH.matcher(path == null ? "" : path);
            if (job.matches()) {
                return new RunReference(null, job.group(1), number(job.group(2)));
            }
            Matcher byId = ID_PATH.matcher(path == null ? "" : path);
            if (byId.matches()) {
                return new RunReference(number(byId.group(1)), null, null);
            }
        }
        throw usage(text);
    }

    /** The run's id, asking the engine when the run was named by workflow and number. */
    long resolve(EngineClient client) {
        if (id != null) {
            return id;
        }
        return client.get("/api/workflows/" + workflow + "/runs/" + number)
                .path("id")
                .asLong();
    }

    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new CliException(ExitCode.USAGE, "`" + digits + "` is too large to be a run id or number");
        }
    }

    private static CliException usage(String text) {
        return new CliException(
                ExitCode.USAGE, "`" + text + "` names no run: give its id (17), workflow#number (hello#2) or its URL");
    }
}
