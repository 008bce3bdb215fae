-- The bus message that started a run. It is written in the same transaction as the run, so a
-- queued run keeps its message across a restart, and the unique key is the duplicate check: the
-- same message (same id) starts at most one run of a workflow, even when several engine nodes
-- all hear it on fedmsg or a broker redelivers it.

create table run_message (
    run_id       bigint primary key references run (id),
    workflow_id  varchar(100) not null,
    bus          varchar(20) not null,
    topic        varchar(500) not null,
    message_id   varchar(200) not null,
    body         varchar not null,
    constraint run_message_once unique (workflow_id, message_id)
);

-- the throttle asks for a workflow's newest message-caused run
create index run_cause_idx on run (workflow_id, cause_type, queued_at);
