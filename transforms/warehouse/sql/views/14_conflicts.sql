-- conflicts: two reporters giving the same metric, subject, kind and unit for as_of dates at
-- most one day apart, with values that differ by more than 5% (of the larger magnitude),
-- side by side (a_* and b_*). Each reporter's figure for a date is the one it published last.
-- Claims without a metric or a point value (bounds only) are not compared.
create or replace view conflicts as
with series_rows as (
    select
        *,
        (coalesce(published, date '0001-01-01'), seen, claim_id) as recency
    from series
    where value is not null and metric is not null
),

per_reporter_date as (
    select
        metric, subject, kind, unit, reporter, as_of,
        arg_max({'value': value, 'claim_id': claim_id, 'published': published,
                 'url': url, 'sentence': sentence}, recency) as pick
    from series_rows
    group by metric, subject, kind, unit, reporter, as_of
),

figures as (
    select metric, subject, kind, unit, reporter, as_of, pick.*
    from per_reporter_date
),

same_day as (
    select a.*, b.reporter as b_reporter, b.as_of as b_as_of, b.value as b_value,
           b.claim_id as b_claim_id, b.published as b_published, b.url as b_url,
           b.sentence as b_sentence
    from figures as a
    join figures as b
        on b.metric = a.metric
        and b.subject is not distinct from a.subject
        and b.kind is not distinct from a.kind
        and b.unit is not distinct from a.unit
        and b.as_of = a.as_of
        and a.reporter < b.reporter
),

next_day as (
    select a.*, b.reporter as b_reporter, b.as_of as b_as_of, b.value as b_value,
           b.claim_id as b_claim_id, b.published as b_published, b.url as b_url,
           b.sentence as b_sentence
    from figures as a
    join figures as b
        on b.metric = a.metric
        and b.subject is not distinct from a.subject
        and b.kind is not distinct from a.kind
        and b.unit is not distinct from a.unit
        and b.as_of = a.as_of + 1
        and a.reporter <> b.reporter
),

pairs as (
    select * from same_day
    union all
    select * from next_day
),

final as (
    select
        metric, subject, kind, unit,
        reporter as a_reporter, as_of as a_as_of, value as a_value,
        b_reporter, b_as_of, b_value,
        abs(value - b_value) / greatest(abs(value), abs(b_value)) as rel_diff,
        b_as_of - as_of as days_apart,
        claim_id as a_claim_id, b_claim_id,
        published as a_published, b_published,
        url as a_url, b_url,
        sentence as a_sentence, b_sentence
    from pairs
    where abs(value - b_value) > 0.05 * greatest(abs(value), abs(b_value))
)

select * from final;
