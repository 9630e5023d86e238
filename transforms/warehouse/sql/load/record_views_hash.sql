-- Record the hash of the view definitions just (re)created.
insert or replace into view_state (id, views_hash, created_at) values (1, $views_hash, now());
