-- The rows of claim_records of the articles $ids (a list of article ids).
select * from claim_records
where article_id in (select unnest($ids))
order by all;
