-- series: one row per claim on the time axis (as_of = period_end), copies counted once.
-- Only claims of original_articles are kept (an article stored as a copy adds nothing), so a
-- story syndicated under several URLs is counted once. Claims without a date (as_of null)
-- are not on the time axis and stay only in `claims`, as do claims dated after their article's
-- publication (`after_publication`) unless the text dates them as a forecast (`forecast`).
-- `reporter` is who reported the figure: the named source, else the site (or host of the
-- URL) that states it in its own voice. Charts, `daily`, `conflicts` and `sources` group by it.
create or replace view series as
with claim_rows as (
    select * from claims
),

originals as (
    select c.*
    from claim_rows as c
    semi join original_articles as o on o.article_id = c.article_id
),

final as (
    select
        claim_id,
        article_id,
        metric,
        subject,
        period_end as as_of,
        period_start,
        kind,
        change,
        value,
        low,
        high,
        bound,
        unit,
        source,
        origin,
        coalesce(
            source,
            site,
            nullif(regexp_extract(url, '^[a-zA-Z]+://([^/:?#]+)', 1), ''),
            'unknown'
        ) as reporter,
        published,
        url,
        title,
        site,
        text,
        sentence,
        extractor_version,
        forecast
    from originals
    where period_end is not null and (not after_publication or forecast)
)

select * from final;
