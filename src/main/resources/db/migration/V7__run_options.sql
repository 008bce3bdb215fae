-- The launch options a run asked for (check, diff, limit, tags, skipTags, verbosity) as JSON;
-- null for a run without any, as for every run stored before options existed.

alter table run add column options varchar;
