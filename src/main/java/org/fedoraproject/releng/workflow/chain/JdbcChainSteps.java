package org.fedoraproject.releng.workflow.chain;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** {@link ChainSteps} in the {@code chain_run} and {@code chain_step} tables (V13). */
final class JdbcChainSteps implements ChainSteps {

    private final Jdbi jdbi;

    JdbcChainSteps(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void markChain(long runId, String chainId, Long resumesRunId) {
        jdbi.useHandle(h -> h.createUpdate(
                        "insert into chain_run (run_id, chain_id, resumes_run_id)"
                                + " select :run, :chain, :resumes where not exists (select 1 from chain_run where run_id = :run)")
                .bind("run", runId)
                .bind("chain", chainId)
                .bind("resumes", resumesRunId)
                .execute());
    }

    @Override
    public boolean isChain(long runId) {
        return jdbi.withHandle(h -> h.createQuery("select count(*) from chain_run where run_id = :run")
                        .bind("run", runId)
                        .mapTo(Integer.class)
                        .one())
                > 0;
    }

    @Override
    public void seed(long chainRunId, List<String> stepIds, Instant at) {
        jdbi.useTransaction(h -> {
            for (String step : stepIds) {
                h.createUpdate("insert into chain_step (chain_run_id, step_id, status, updated_at)"
                                + " select :chain, :step, 'pending', :at where not exists"
                                + " (select 1 from chain_step where chain_run_id = :chain and step_id = :step)")
                        .bind("chain", chainRunId)
                        .bind("step", step)
                        .bind("at", Timestamp.from(at))
                        .execute();
            }
        });
    }

    @Override
    public void reuse(long chainRunId, String stepId, long runId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("insert into chain_step (chain_run_id, step_id, status, run_id, updated_at)"
                        + " values (:chain, :step, 'reused', :run, :at)")
                .bind("chain", chainRunId)
                .bind("step", stepId)
                .bind("run", runId)
                .bind("at", Timestamp.from(at))
                .execute());
    }

    @Override
    public List<Row> rows(long chainRunId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "select step_id, status, run_id, error from chain_step where chain_run_id = :chain")
                .bind("chain", chainRunId)
                .map((rs, ctx) -> new Row(
                        rs.getString("step_id"),
                        rs.getString("status"),
                        rs.getObject("run_id") == null ? null : rs.getLong("run_id"),
                        rs.getString("error")))
                .list());
    }

    @Override
    public boolean move(long chainRunId, String stepId, String from, String to, String error, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "update chain_step set status = :to, error = :error, updated_at = :at"
                                        + " where chain_run_id = :chain and step_id = :step and status = :from")
                        .bind("chain", chainRunId)
                        .bind("step", stepId)
                        .bind("from", from)
                        .bind("to", to)
                        .bind("error", error == null || error.length() <= 2000 ? error : error.substring(0, 2000))
                        .bind("at", Timestamp.from(at))
                        .execute())
                == 1;
    }

    @Override
    public void started(long chainRunId, String stepId, long runId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("update chain_step set status = 'started', run_id = :run, updated_at = :at"
                        + " where chain_run_id = :chain and step_id = :step")
                .bind("chain", chainRunId)
                .bind("step", stepId)
                .bind("run", runId)
                .bind("at", Timestamp.from(at))
                .execute());
    }

    @Override
    public List<String> releaseStaleClaims(long chainRunId, Instant before, Instant at) {
        return jdbi.inTransaction(h -> {
            List<String> stale = h.createQuery("select step_id from chain_step where chain_run_id = :chain"
                            + " and status = 'starting' and run_id is null and updated_at < :before")
                    .bind("chain", chainRunId)
                    .bind("before", Timestamp.from(before))
                    .mapTo(String.class)
                    .list();
            List<String> released = new java.util.ArrayList<>();
            for (String step : stale) {
                // conditional, so that of two nodes sweeping at once only one releases it
                int moved = h.createUpdate("update chain_step set status = 'pending', updated_at = :at"
                                + " where chain_run_id = :chain and step_id = :step and status = 'starting'"
                                + " and run_id is null and updated_at < :before")
                        .bind("chain", chainRunId)
                        .bind("step", step)
                        .bind("at", Timestamp.from(at))
                        .bind("before", Timestamp.from(before))
                        .execute();
                if (moved == 1) {
                    released.add(step);
                }
            }
            return released;
        });
    }

    @Override
    public Optional<Long> chainOf(long runId) {
        return jdbi.withHandle(
                h -> h.createQuery("select chain_run_id from chain_step where run_id = :run and status = 'started'")
                        .bind("run", runId)
                        .mapTo(Long.class)
                        .findFirst());
    }

    @Override
    public List<Long> runningChains() {
        return jdbi.withHandle(h -> h.createQuery("select c.run_id from chain_run c join run r on r.id = c.run_id"
                        + " where r.status = 'running' order by c.run_id")
                .mapTo(Long.class)
                .list());
    }

    @Override
    public Optional<Long> resumes(long runId) {
        return jdbi.withHandle(h -> h
                .createQuery("select resumes_run_id from chain_run where run_id = :run")
                .bind("run", runId)
                .mapTo(Long.class)
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst());
    }

    @Override
    public Optional<Long> resumedBy(long runId) {
        return jdbi.withHandle(
                h -> h.createQuery("select run_id from chain_run where resumes_run_id = :run order by run_id desc")
                        .bind("run", runId)
                        .mapTo(Long.class)
                        .findFirst());
    }
}
