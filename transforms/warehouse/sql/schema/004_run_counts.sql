-- claimtrack storage, version 4: more counts per run. Idempotent.
alter table runs add column if not exists articles_seen integer;    -- inputs skipped: already stored
alter table runs add column if not exists feeds_unchanged integer;  -- feeds that answered 304
