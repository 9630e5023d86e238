-- Stage one batch of articles with copy_of and version resolved against what is already stored.
-- Input: staged_articles (ARTICLE_SCHEMA plus pos, the order the run read them in).
-- The first article with a text is the original: a stored original wins over the batch, and
-- within the batch the earliest one; every other article with the same text is its copy.
-- A later version (version_of set) is numbered after the versions stored and those earlier in
-- the batch. Stored rows are read only where they share a text, an id or a first version with
-- the batch, so the work space stays the size of a batch however large the database grows.
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
stored_versions as (
    select coalesce(version_of, article_id) as first_version, max(version) as last_version
    from article_records
    where coalesce(version_of, article_id) in (select version_of from staged_articles)
    group by all
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
        s.article_id not in (select article_id from stored_ids) as is_new,
        case when s.version_of is null then 1 else
            coalesce(v.last_version, 1) + row_number() over (partition by s.version_of order by s.pos)
        end as version
    from staged_articles s
    left join stored on stored.content_hash = s.content_hash
    left join batch_first on batch_first.content_hash = s.content_hash
    left join stored_versions v on v.first_version = s.version_of
),
final as (
    select
        * exclude (original) replace (
            case when original = article_id then null else original end as copy_of
        )
    from resolved
)
select * from final;
