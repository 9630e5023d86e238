-- Store the texts of the batch's articles in pieces of 1,024 characters (schema version 7),
-- replacing the pieces stored before: a load then never rewrites more than a row group of
-- short rows, however long the texts. article_texts (a view) puts them back together.
-- Only an article stored before has pieces to delete (see replace_claims.sql).
delete from article_text_pieces
where article_id in (select article_id from batch_articles where not is_new);

insert into article_text_pieces
select article_id, part, substring(text, part * 1024 + 1, 1024) as text
from (
    select article_id, text, unnest(range(0, (length(text) + 1023) // 1024)) as part
    from batch_articles
);
