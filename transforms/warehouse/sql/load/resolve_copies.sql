-- Stage one batch of articles with copy_of resolved against what is already stored.
-- Input: staged_articles (ARTICLE_SCHEMA plus pos, the order the run read them in).
-- The first article with a text is the original: a stored original wins over the batch, and
-- within the batch the earliest one; every other article with the same text is its copy.
-- Stored rows are read only where they share a text or an id with the batch, so the work
-- space stays the size of a batch however large the database grows.
create or replace temp table batch_articles as
with stored as (
    select content_hash, arg_min(article_id, (fetched, article_id)) as first_id
    from article_records
    where copy_of is null and content_hash in (select content_hash from staged_articles)
    group by content_hash
),
stored_ids as (
    select article_id from article_records
    where article_id in (select article_id from staged_articles)
),
batch_first as (
    select content_hash, arg_min(article_id, pos) as first_id
    from staged_articles
    group by content_hash
),
resolved as (
    select
        s.* exclude (pos),
        coalesce(stored.first_id, batch_first.first_id) as original,
        s.article_id not in (select article_id from stored_ids) as is_new
    from staged_articles s
    left join stored on stored.content_hash = s.content_hash
    left join batch_first on batch_first.content_hash = s.content_hash
),
final as (
    select
        * exclude (original) replace (
            case when original = article_id then null else original end as copy_of
        )
    from resolved
)
select * from final;
