-- Dashboard: the largest conflicts first ($limit rows), from the `conflicts` view.
with conflict_rows as (
    select * from conflicts
),

final as (
    select
        metric, subject, kind, unit,
        a_reporter, a_as_of, a_value, a_url,
        b_reporter, b_as_of, b_value, b_url,
        rel_diff
    from conflict_rows
    order by rel_diff desc, metric, a_as_of desc, a_reporter, b_reporter
    limit $limit
)

select * from final;
