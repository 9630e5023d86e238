-- claimtrack storage, version 8: versions of an article, and what became of every input of a run.
-- An article read again with another text (an update) is stored as a new version: a row of its
-- own (its own article_id, claims and time it was first read) whose version_of names the first
-- version; the earlier versions and their claims stay. run_inputs says, for every input of a
-- run, which one of new, version, copy, stored (already stored) or failed it became, so a run's
-- counts can be checked input by input. Idempotent.
alter table article_records add column if not exists version_of varchar;          -- first version's article_id; null for it
alter table article_records add column if not exists version integer default 1;   -- 1, 2, ... in the order read

alter table runs add column if not exists inputs integer;            -- inputs accounted for (run_inputs rows)
alter table runs add column if not exists versions integer;          -- new versions of stored articles
alter table runs add column if not exists not_extracted integer;     -- stored without claims: language not supported

create table if not exists run_inputs (
    run_id      varchar not null,
    input       varchar not null,    -- path or URL as given, or a feed item's link
    outcome     varchar not null,    -- new | version | copy | stored | failed
    article_id  varchar              -- the stored article it became or matched (null when failed)
);
