-- claimtrack storage, version 6: claims and comparisons without primary-key indexes.
-- DuckDB keeps a primary-key index (ART) in memory and reads it whole at every write: with
-- 1.2 million claims, each batch load took 53 MB and 0.2 s more for it (measured). An id is
-- unique by construction (a hash of the article, the span and the extractor version) and a
-- load replaces an article's claims (delete, then insert, in one transaction), so the index
-- guarded nothing; warehouse.load_batch refuses a batch whose ids repeat. Applied once (as
-- every version), in one transaction with its schema_version row.

create table claim_records_v6 (
    claim_id           varchar not null,    -- hash of article_id, start, end, extractor_version
    article_id         varchar not null,
    "start"            bigint not null,
    "end"              bigint not null,
    text               varchar not null,
    value              double,
    low                double,
    high               double,
    bound              varchar not null,
    unit               varchar,
    kind               varchar,
    change             varchar,
    metric             varchar,
    subject            varchar,
    period_start       date,
    period_end         date,
    source             varchar,
    origin             varchar,
    rule               varchar,
    sentence           varchar,
    published          date,
    extractor_version  varchar not null
);

insert into claim_records_v6 by name select * from claim_records;
drop table claim_records;
alter table claim_records_v6 rename to claim_records;

create table comparison_records_v6 (
    comparison_id      varchar not null,
    article_id         varchar not null,
    "start"            bigint not null,
    "end"              bigint not null,
    text               varchar not null,
    relation           varchar not null,    -- > < = max_since min_since
    left_start         date,
    left_end           date,
    left_years         double,
    left_bound         varchar,
    right_start        date,
    right_end          date,
    right_years        double,
    right_bound        varchar,
    metric             varchar,
    subject            varchar,
    source             varchar,
    origin             varchar,
    sentence           varchar,
    published          date,
    extractor_version  varchar not null,
    extra              varchar              -- JSON object, or null
);

insert into comparison_records_v6 by name select * from comparison_records;
drop table comparison_records;
alter table comparison_records_v6 rename to comparison_records;
