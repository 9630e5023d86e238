-- claimtrack storage, version 5: which view definitions the database holds. Idempotent.
-- One row: the hash of transforms/sql/views/*.sql when the views were last (re)created, so a
-- writer recreates them only when the shipped definitions differ.
create table if not exists view_state (
    id integer primary key,          -- always 1
    views_hash varchar not null,     -- sha256 over the view files' names and texts
    created_at timestamptz not null
);
