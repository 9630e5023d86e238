-- Replace the comparisons of every article in the batch; copies keep none.
-- Only an article stored before can have comparisons to delete: with no such article in the batch
-- DuckDB skips reading the table, so a batch of new articles costs the same at any table size.
delete from comparison_records
where article_id in (select article_id from batch_articles where not is_new);

insert into comparison_records by name
select * from staged_comparisons
where article_id in (select article_id from batch_articles where copy_of is null);
