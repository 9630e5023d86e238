-- series: one row per claim on the time axis (as_of = period_end), copies counted once.
-- Only claims of original_articles are kept (an article stored as a copy adds nothing), so a
-- story syndicated under several URLs is counted once. Claims without a date (as_of null)
-- are not on the time axis and stay only in `claims`.
-- A later version of an article (an update) adds only the figures it changes or adds: a claim
-- an earlier version of the same article already made (same metric, subject, kind, period,
-- value, bound, unit, source, origin and change) is left out, so a figure restated unchanged is
-- counted once. `seen` is when the version holding the claim was first read.
-- `reporter` is who reported the figure: the named source, else the site (or host of the
-- URL) that states it in its own voice. Charts, `daily`, `conflicts` and `sources` group by it.
create or replace view series as
with claim_rows as (
    select * from claims
),

originals as (
    select
        c.*,
        coalesce(o.version_of, o.article_id) as first_version,
        o.version,
        o.fetched as seen,
        {'metric': c.metric, 'subject': c.subject, 'kind': c.kind, 'period_start': c.period_start,
         'period_end': c.period_end, 'value': c.value, 'low': c.low, 'high': c.high, 'bound': c.bound,
         'unit': c.unit, 'source': c.source, 'origin': c.origin, 'change': c.change} as figure
    from claim_rows as c
    join original_articles as o on o.article_id = c.article_id
),

restated as (
    -- claims of a later version that an earlier version of the same article made already
    select later.claim_id
    from originals as later
    semi join originals as earlier
        on earlier.first_version = later.first_version
        and earlier.version < later.version
        and earlier.figure is not distinct from later.figure
    where later.version > 1
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
        seen,
        url,
        title,
        site,
        text,
        sentence,
        extractor_version
    from originals
    where period_end is not null and claim_id not in (select claim_id from restated)
)

select * from final;
