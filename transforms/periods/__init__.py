"""Time expressions: find them in news text and resolve them against the publication date.

``load_period_rules()`` compiles ``data/rules/periods.yaml`` once; ``find_time_spans(text,
published, rules)`` returns each time expression as a ``TimeSpan``; ``find_dateline`` reads a
publication date stated at the top of an article. Modules: ``find`` (the finder), ``loader``
(validating the rule file), ``tables`` (the compiled rules), ``resolvers`` and ``relative``
(match -> dates), ``context`` (what resolvers read), ``dates`` (calendar arithmetic).
"""

from claimtrack.transforms.periods.find import check_examples, find_dateline, find_time_spans, load_period_rules
from claimtrack.transforms.periods.tables import PeriodRules

__all__ = ["PeriodRules", "check_examples", "find_dateline", "find_time_spans", "load_period_rules"]
