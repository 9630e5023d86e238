-- comparisons: claims that compare a figure across periods without stating it
-- ("more convictions in the first 6 months of 2024 than in all of 2023"), with their periods
-- and the article's url, title and site.
create or replace view comparisons as
with articles as (
    select article_id, url, title, site
    from article_records
    where copy_of is null
),
final as (
    select
        c.comparison_id,
        c.article_id,
        c."start",
        c."end",
        c.text,
        c.metric,
        c.subject,
        c.relation,
        c.left_start,
        c.left_end,
        c.left_years,
        c.left_bound,
        c.right_start,
        c.right_end,
        c.right_years,
        c.right_bound,
        c.source,
        c.origin,
        c.sentence,
        c.published,
        c.extractor_version,
        a.url,
        a.title,
        a.site
    from comparison_records c
    join articles a on a.article_id = c.article_id
)
select * from final;
