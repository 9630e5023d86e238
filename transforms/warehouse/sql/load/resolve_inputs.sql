-- Record what became of every input of the batch (staged_inputs: input, outcome, article_id as
-- the run decided). For an article written now, the outcome is the one the load gave it:
-- copy (copy_of set), version, new, or stored when its id was stored already.
create or replace temp table batch_inputs as
select
    $run_id as run_id,
    i.input,
    case
        when b.article_id is null then i.outcome
        when b.copy_of is not null then 'copy'
        when not b.is_new then 'stored'
        when b.version_of is not null then 'version'
        else 'new'
    end as outcome,
    i.article_id
from staged_inputs i
left join batch_articles b on b.article_id = i.article_id and i.outcome in ('new', 'version', 'copy');
