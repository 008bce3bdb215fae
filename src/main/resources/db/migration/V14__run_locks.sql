-- Locks across the cluster (a workflow's `locks:`). run_lock_wanted keeps the locks each run
-- asked for when it was queued, so that what it waits for does not move with the catalog and a
-- chain step can add its own. A lock is held by the running run that wants it: the status change
-- that starts a run takes its locks and the one that ends it (or marks it lost) releases them,
-- with no statement of their own. run_lock has one row per lock name ever wanted, which a claim
-- locks: claims that share a lock take turns, so two nodes never both see it free.
create table run_lock_wanted (
    run_id bigint not null references run (id),
    name   varchar(100) not null,
    primary key (run_id, name)
);
create index run_lock_wanted_name_idx on run_lock_wanted (name, run_id);

create table run_lock (
    name varchar(100) primary key
);
