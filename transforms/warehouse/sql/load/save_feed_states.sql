-- Store the validators of the feeds read this run (staged_feed_states: url, etag, last_modified).
insert into feed_state (url, etag, last_modified, changed_at)
select url, etag, last_modified, now() from staged_feed_states
on conflict (url) do update set
    etag = excluded.etag,
    last_modified = excluded.last_modified,
    changed_at = excluded.changed_at
where feed_state.etag is distinct from excluded.etag
   or feed_state.last_modified is distinct from excluded.last_modified;
