-- Replace the claims of every article in the batch; copies keep none.
delete from claim_records
where article_id in (select article_id from batch_articles);

insert into claim_records by name
select * from staged_claims
where article_id in (select article_id from batch_articles where copy_of is null);
