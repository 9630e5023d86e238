-- Append the batch's inputs and their outcomes (resolve_inputs.sql) to run_inputs.
insert into run_inputs by name select * from batch_inputs;
