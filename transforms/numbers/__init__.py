"""Finding quantities: number expressions in text (digits, number words, scales, fractions,
vague magnitudes, hedges, ranges, percentages, currencies), never dates, years or labels.

``load_number_rules()`` compiles ``data/vocab/numbers.yaml`` and ``labels.yaml`` once;
``find_quantities(text, rules)`` returns each number expression as a ``Quantity``;
``find_document_quantities(text, sentences, rules)`` those of each sentence of a document,
where "$" and unnamed money follow the currency the document is about (``home_currency``). Modules: ``find`` (the
finder), ``build`` (compiling the scanner), ``tables`` (the compiled tables), ``money``
(currencies), ``labels`` (ambiguity filters), ``spans`` (mentions, ranges, ratios), ``words``
(number words), ``examples`` (the tables' inline examples).
"""

from claimtrack.transforms.numbers.find import (
    check_number_example,
    find_document_quantities,
    find_quantities,
    home_currency,
    load_number_rules,
)
from claimtrack.transforms.numbers.money import Home
from claimtrack.transforms.numbers.tables import NumberRules

__all__ = [
    "Home",
    "NumberRules",
    "check_number_example",
    "find_document_quantities",
    "find_quantities",
    "home_currency",
    "load_number_rules",
]
