-- claimtrack storage, version 1: the raw tables behind the public views.
-- Idempotent: every statement may run again on an existing database.
-- Column names and types of claim_records, article_records and comparison_records match
-- CLAIM_SCHEMA, ARTICLE_SCHEMA and COMPARISON_SCHEMA in transforms/normalize.py (a test checks).

create table if not exists schema_version (
    version     integer primary key,        -- NNN of schema/NNN_*.sql
    name        varchar not null,           -- the file name
    applied_at  timestamptz not null
);

create table if not exists article_records (
    article_id     varchar primary key,     -- from canonical_url, else from content_hash
    url            varchar not null,        -- where it was read: http(s) URL or file:// URI
    canonical_url  varchar,                 -- tracking parameters dropped; null for local text
    title          varchar,
    author         varchar,
    site           varchar,
    published      date,                    -- null when no date could be found (never invented)
    date_source    varchar,                 -- given | metadata | feed | text | null
    fetched        timestamptz not null,    -- first time this article was read (UTC)
    content_hash   varchar not null,        -- sha256 of the normalised text
    text           varchar not null,        -- the main text claims' offsets index into
    source         varchar,                 -- named source from sources.toml, if any
    language       varchar,
    copy_of        varchar                  -- article_id of the first article with the same text
);

create table if not exists claim_records (
    claim_id           varchar primary key, -- hash of article_id, start, end, extractor_version
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

create table if not exists comparison_records (
    comparison_id      varchar primary key,
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

create table if not exists runs (
    run_id              varchar primary key, -- the Prefect flow run id
    started_at          timestamptz not null,
    finished_at         timestamptz,
    status              varchar not null,    -- running | completed | failed | interrupted | abandoned
    sources             varchar,             -- JSON list of the SOURCE arguments
    articles_read       integer,             -- documents turned into text this run
    articles_new        integer,             -- of those, not stored before
    copies              integer,             -- of those, copies of another article
    claims_stored       integer,
    comparisons_stored  integer,
    failures            integer
);

create table if not exists failures (
    run_id  varchar not null,
    input   varchar not null,                -- path or URL as given or discovered
    stage   varchar not null,                -- discover | fetch | feed | text | extract | load
    reason  varchar not null,
    "at"    timestamptz not null
);
