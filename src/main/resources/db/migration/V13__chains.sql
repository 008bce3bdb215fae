-- Chains: a chain run is a run row like any other; these tables keep where it stands, so that any
-- node can advance it and a restart continues it. chain_run marks a run as a chain (its node
-- dying does not lose it: it runs no process) and links a resumed chain to the run it resumes.

create table chain_run (
    run_id          bigint primary key references run (id),
    chain_id        varchar(100) not null,
    resumes_run_id  bigint references run (id)
);
create index chain_run_resumes_idx on chain_run (resumes_run_id);

-- One row per step of a chain run. status: pending, starting (claimed by a node that is starting
-- its run), started (run_id says the rest), reused (a resumed chain keeps the run of an earlier
-- chain that succeeded), skipped, failed (it could not start; error says why) or cancelled.
create table chain_step (
    chain_run_id  bigint not null references run (id),
    step_id       varchar(100) not null,
    status        varchar(20) not null,
    run_id        bigint references run (id),
    error         varchar(2000),
    updated_at    timestamp with time zone not null,
    primary key (chain_run_id, step_id)
);
create index chain_step_run_idx on chain_step (run_id);
