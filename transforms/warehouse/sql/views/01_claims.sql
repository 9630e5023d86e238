-- claims: every CLAIMS_SPEC field plus claim_id, article_id, metric and the article's url,
-- title and site. Copies of an article hold no claims, so each claim is counted once.
-- `after_publication`: the as-of date (period_end) lies after the article's publication; such a
-- claim is on the time axis (`series`) only when `forecast` (its sentence dates it as one).
-- Public interface, documented in README.md.
create or replace view claims as
with articles as (
    select article_id, url, canonical_url, title, site
    from article_records
    where copy_of is null
),
final as (
    select
        c.claim_id,
        c.article_id,
        c.article_id as doc,
        c."start",
        c."end",
        c.text,
        c.value,
        c.low,
        c.high,
        c.bound,
        c.unit,
        c.metric,
        c.subject,
        c.kind,
        c.change,
        c.period_start,
        c.period_end,
        c.source,
        c.origin,
        c.sentence,
        c.published,
        coalesce(c.period_end > c.published, false) as after_publication,
        coalesce(c.forecast, false) as forecast,
        c.rule,
        c.extractor_version,
        a.url,
        a.canonical_url,
        a.title,
        a.site
    from claim_records c
    join articles a on a.article_id = c.article_id
)
select * from final;
