-- Locks across the cluster (a workflow's `locks:`). run_lock_wanted keeps the locks each run
-- asked for when it was queued, so that what it waits for does not move with the catalog and a
-- chain step can add its own. run_lock has one row per lock name ever wanted: its holder is the
-- running run that took it, set in the transaction that makes the run running and cleared in the
-- one that ends it; claims lock its row, so two nodes never both see it free.
create table run_lock_wanted (
    run_id bigint not null references run (id),
    name   varchar(100) not null,
    primary key (run_id, name)
);
create index run_lock_wanted_name_idx on run_lock_wanted (name, run_id);

create table run_lock (
    name       varchar(100) primary key,
    holder_run bigint references run (id)
);
create index run_lock_holder_idx on run_lock (holder_run);
