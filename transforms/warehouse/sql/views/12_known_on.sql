-- known_on(d): the `series` rows that had been published by date d (published <= d), to
-- rebuild the series as it looked on any past day:
--   select * from known_on(date '2024-05-01') where metric = 'troop_losses' order by as_of;
-- d may be a DATE, a TIMESTAMP or an ISO string. Claims with no publication date are never
-- "known" on any day.
create or replace macro known_on(d) as table
with series_rows as (
    select * from series
),

final as (
    select *
    from series_rows
    where cast(published as date) <= cast(d as date)
)

select * from final;
