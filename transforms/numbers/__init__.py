"""Finding quantities: number expressions in text (digits, number words, scales, fractions,
vague magnitudes, hedges, ranges, percentages, currencies), never dates, years or labels.

``load_number_rules()`` compiles ``data/vocab/numbers.yaml`` and ``labels.yaml`` once;
``find_quantities(text, rules)`` returns each number expression as a ``Quantity``. Modules:
``find`` (the finder), ``build`` (compiling the scanner), ``tables`` (the compiled tables),
``labels`` (ambiguity filters), ``spans`` (mentions, ranges, ratios), ``words`` (number words),
``examples`` (the tables' inline examples).
"""

from claimtrack.transforms.numbers.find import check_number_example, find_quantities, load_number_rules
from claimtrack.transforms.numbers.tables import NumberRules

__all__ = ["NumberRules", "check_number_example", "find_quantities", "load_number_rules"]
