-- The rows of article_records of the articles $ids (a list of article ids).
select * from article_records
where article_id in (select unnest($ids))
order by all;
