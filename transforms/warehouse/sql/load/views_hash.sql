-- The hash of the view definitions the database holds (no row: never recorded).
select views_hash from view_state where id = 1;
