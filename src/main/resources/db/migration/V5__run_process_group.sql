-- The process group that runs a run's playbook, written as soon as the playbook starts, so that a
-- node restarting after a crash can stop what it left running before anything else starts.
-- process_instance tells that process apart from a later one with the same pid:
-- "<boot id>/<start time in clock ticks since boot>".

alter table run add column process_group bigint;
alter table run add column process_instance varchar(200);
