-- The tables of the attached database (a reader's default catalog), to tell a claimtrack database
-- from another application's before anything is written to it.
select table_name from duckdb_tables() where database_name = current_database() order by table_name;
