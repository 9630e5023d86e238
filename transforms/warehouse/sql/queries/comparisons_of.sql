-- The rows of comparison_records of the articles $ids (a list of article ids).
select * from comparison_records
where article_id in (select unnest($ids))
order by all;
