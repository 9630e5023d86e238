-- Counts of the staged batch, taken before it is written: articles new (first versions), new
-- versions of stored articles, copies, and the claims and comparisons of the originals.
with originals as (
    select article_id from batch_articles where copy_of is null
)
select
    (select count(*) from batch_articles where is_new and copy_of is null and version_of is null)::integer as articles_new,
    (select count(*) from batch_articles where is_new and copy_of is null and version_of is not null)::integer as versions,
    (select count(*) from batch_articles where copy_of is not null)::integer as copies,
    (select count(*) from staged_claims where article_id in (from originals))::integer as claims,
    (select count(*) from staged_comparisons where article_id in (from originals))::integer as comparisons;
