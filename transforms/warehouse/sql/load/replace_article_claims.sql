-- Replace one article's claims and comparisons (staged_claims, staged_comparisons hold its new ones).
delete from claim_records where article_id = $article_id;
delete from comparison_records where article_id = $article_id;
insert into claim_records by name select * from staged_claims where article_id = $article_id;
insert into comparison_records by name select * from staged_comparisons where article_id = $article_id;
