-- Append the batch's failures.
insert into failures by name
select * from staged_failures;
