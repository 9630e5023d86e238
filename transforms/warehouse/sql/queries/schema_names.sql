-- The schema files applied to the attached database (claimtrack's own marker).
select version, name from schema_version order by version;
