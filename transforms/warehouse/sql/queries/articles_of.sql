-- The rows of article_records of the articles $ids (a list of article ids), each with its
-- text put back together from article_text_pieces (as the article_texts view does).
with wanted as (
    select unnest($ids) as article_id
),
texts as (
    select article_id, string_agg(text, '' order by part) as text
    from article_text_pieces
    where article_id in (from wanted)
    group by article_id
)
select a.*, coalesce(t.text, '') as text
from article_records a
left join texts t on t.article_id = a.article_id
where a.article_id in (from wanted)
order by all;
