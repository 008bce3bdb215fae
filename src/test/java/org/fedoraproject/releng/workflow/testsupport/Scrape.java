package org.fedoraproject.releng.workflow.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code /metrics} answer, read as Prometheus would: series by name and labels. */
public record Scrape(String text) {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Series(String name, Map<String, String> labels, double value) {}

    public List<Series> series() {
        return text.lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(Scrape::parse)
                .toList();
    }

    private static Series parse(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name = line.substring(0, brace < 0 ? space : brace);
        if (brace >= 0) {
            Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
            while (m.find()) {
                labels.put(m.group(1), m.group(2));
            }
        }
        return new Series(name, labels, Double.parseDouble(line.substring(space + 1)));
    }

    /** Reads {@code /metrics} as anonymous. */
    public static Scrape of(TestEngine engine) {
        java.net.http.HttpResponse<String> response = engine.get("/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return new Scrape(response.body());
    }

    /** How much the series grew since {@code before}; a series that did not exist counts from zero, as Prometheus does. */
    public double since(Scrape before, String name, Map<String, String> labels) {
        return value(name, labels) - before.value(name, labels);
    }

    /** The series of that name whose labels include all of {@code labels}, summed (0 if none). */
    public double value(String name, Map<String, String> labels) {
        return series().stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Series::value)
                .sum();
    }

    /** The label keys of the family's series, or empty when it has none. */
    public List<java.util.Set<String>> labelKeys(String name) {
        return series().stream()
                .filter(s -> s.name().equals(name))
                .map(s -> s.labels().keySet())
                .distinct()
                .toList();
    }
}
