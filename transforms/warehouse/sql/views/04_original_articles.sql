-- original_articles: the stored articles that are not copies of another (copy_of is null), so
-- a story published under several URLs counts once. Views that count claims or comparisons
-- keep only those of these articles.
create or replace view original_articles as
select * from articles
where copy_of is null;
