-- The counts of a run that version 4 of the schema added.
update runs set
    articles_seen = $articles_seen,
    feeds_unchanged = $feeds_unchanged
where run_id = $run_id;
