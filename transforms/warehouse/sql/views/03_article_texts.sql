-- article_texts: the main text of every stored article, put back together from its pieces
-- (article_text_pieces); claims' and comparisons' start and end offsets index into it.
-- Public interface, documented in README.md.
create or replace view article_texts as
with texts as (
    select article_id, string_agg(text, '' order by part) as text
    from article_text_pieces
    group by article_id
)
select
    a.article_id,
    coalesce(t.text, '') as text
from article_records a
left join texts t on t.article_id = a.article_id;
