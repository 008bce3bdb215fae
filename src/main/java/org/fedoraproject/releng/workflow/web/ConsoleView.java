package org.fedoraproject.releng.workflow.web;

import java.util.List;
import org.fedoraproject.releng.workflow.log.LogSearch;

/** What the console template shows; built by {@link ConsolePage}. */
public final class ConsoleView {

    private ConsoleView() {}

    public record Line(long number, String text, String time, String stamp, boolean target) {}

    /** One page of lines and where the paging links go (null when there is nowhere to go). */
    public record Window(
            long from,
            long to,
            long total,
            List<Line> lines,
            String first,
            String earlier,
            String later,
            String last) {}

    /** Search results; {@code more} links to the next matches, {@code error} explains a refused query. */
    public record Search(
            String q,
            boolean regex,
            boolean matchCase,
            List<LogSearch.Match> matches,
            String more,
            boolean timedOut,
            String error) {}
}
