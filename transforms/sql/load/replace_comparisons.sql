-- Replace the comparisons of every article in the batch; copies keep none.
delete from comparison_records
where article_id in (select article_id from batch_articles);

insert into comparison_records by name
select * from staged_comparisons
where article_id in (select article_id from batch_articles where copy_of is null);
