-- What the inputs of the batch just written became: one row per outcome with its count.
select outcome, count(*)::integer as n
from batch_inputs
group by outcome;
