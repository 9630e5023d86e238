-- Schema versions already applied to this database.
select version from schema_version order by version;
