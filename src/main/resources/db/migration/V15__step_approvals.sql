-- Approvals of chain steps. A step run's rule is its chain's, so the people who decide it are those
-- holding `approve` on the chain: decided_on names that workflow (null: the run's own). A gate (a
-- step with an approval and no workflow) is decided on its chain run: step names it ('' for the
-- run's own approval), so one chain run may have its own approval and one per gate.

create table run_approval_v15 (
    run_id        bigint not null references run (id),
    step          varchar(100) default '' not null,
    required      integer not null,
    deadline      timestamp with time zone not null,
    starter       varchar(200),
    starter_kind  varchar(20) not null,
    requested_at  timestamp with time zone not null,
    outcome       varchar(20),
    decided_on    varchar(100),
    primary key (run_id, step)
);
insert into run_approval_v15 (run_id, step, required, deadline, starter, starter_kind, requested_at, outcome)
    select run_id, '', required, deadline, starter, starter_kind, requested_at, outcome from run_approval;
drop table run_approval;
alter table run_approval_v15 rename to run_approval;
create index run_approval_open_idx on run_approval (outcome, deadline);

alter table approval_decision add column step varchar(100) default '' not null;
alter table approval_decision drop constraint approval_decision_once;
alter table approval_decision add constraint approval_decision_once unique (run_id, step, decided_by);
