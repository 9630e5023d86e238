-- comparison_periods: the comparison records (claims that compare a figure across periods
-- without stating it: "more convictions in the first 6 months of 2024 than in all of 2023"),
-- of original_articles only (copies counted once), with both periods and their lengths in days (bounds included). A
-- look-back side ("the highest level in at least 9 years") has right_years and right_bound
-- instead of dates. `reporter` as in `series`: the named source, else the site. As in `series`,
-- a comparison a later version of an article restates unchanged is counted once.
create or replace view comparison_periods as
with comparison_rows as (
    select * from comparisons
),

originals as (
    select
        c.*,
        coalesce(o.version_of, o.article_id) as first_version,
        o.version,
        {'relation': c.relation, 'left_start': c.left_start, 'left_end': c.left_end,
         'left_years': c.left_years, 'left_bound': c.left_bound, 'right_start': c.right_start,
         'right_end': c.right_end, 'right_years': c.right_years, 'right_bound': c.right_bound,
         'metric': c.metric, 'subject': c.subject, 'source': c.source, 'origin': c.origin} as claim
    from comparison_rows as c
    join original_articles as o on o.article_id = c.article_id
),

restated as (
    -- comparisons of a later version that an earlier version of the same article made already
    select later.comparison_id
    from originals as later
    semi join originals as earlier
        on earlier.first_version = later.first_version
        and earlier.version < later.version
        and earlier.claim is not distinct from later.claim
    where later.version > 1
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
    where comparison_id not in (select comparison_id from restated)
)

select * from final;
