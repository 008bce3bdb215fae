-- Every Ansible event of a run, as the engine's callback plugin sent it (masked, results capped),
-- and what the events add up to: the play recap, the set_stats outputs, check mode, and why
-- events are missing when some are (state 'open' on a finished run: its engine died mid-run).

create table run_event (
    run_id      bigint not null references run (id),
    seq         integer not null,
    type        varchar(40) not null,
    at          timestamp with time zone not null,
    play        varchar(1000),
    task        varchar(1000),
    task_id     varchar(64),
    task_path   varchar(2000),
    role        varchar(500),
    host        varchar(500),
    action      varchar(200),
    changed     boolean not null,
    failed      boolean not null,
    ignored     boolean not null,
    item        varchar(2000),
    duration_ms bigint,
    line        integer,
    result      varchar,
    primary key (run_id, seq)
);

create table run_summary (
    run_id      bigint primary key references run (id),
    state       varchar(20) not null,
    problem     varchar(2000),
    event_count integer not null,
    dry_run     boolean not null,
    hosts       varchar,
    outputs     varchar
);
