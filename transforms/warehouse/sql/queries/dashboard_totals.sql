-- Dashboard: headline counts, one row.
with claim_rows as (
    select article_id, period_end from claims
),

copies as (
    select article_id from articles where copy_of is not null
),

final as (
    select
        (select count(*) from claim_rows) as claims_stored,
        (select count(*) from claim_rows where article_id in (select article_id from copies))
            as claims_in_copies,
        (select count(*) from series) as claims_dated,
        (select count(*) from articles) as articles,
        (select count(*) from copies) as copies,
        (select count(*) from conflicts) as conflicts,
        (select count(*) from daily where revision or disagrees or restated) as flagged_steps
)

select * from final;
