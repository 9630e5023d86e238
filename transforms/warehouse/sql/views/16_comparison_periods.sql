-- comparison_periods: the comparison records (claims that compare a figure across periods
-- without stating it: "more convictions in the first 6 months of 2024 than in all of 2023"),
-- of original_articles only (copies counted once), with both periods and their lengths in days (bounds included). A
-- look-back side ("the highest level in at least 9 years") has right_years and right_bound
-- instead of dates. `reporter` as in `series`: the named source, else the site.
create or replace view comparison_periods as
with comparison_rows as (
    select * from comparisons
),

originals as (
    select c.*
    from comparison_rows as c
    semi join original_articles as o on o.article_id = c.article_id
),

final as (
    select
        comparison_id,
        article_id,
        metric,
        subject,
        relation,
        left_start,
        left_end,
        left_end - left_start + 1 as left_days,
        left_years,
        left_bound,
        right_start,
        right_end,
        right_end - right_start + 1 as right_days,
        right_years,
        right_bound,
        source,
        origin,
        coalesce(
            source,
            site,
            nullif(regexp_extract(url, '^[a-zA-Z]+://([^/:?#]+)', 1), ''),
            'unknown'
        ) as reporter,
        published,
        text,
        sentence,
        url,
        title,
        site,
        extractor_version
    from originals
)

select * from final;
