"""The claim extractor: every dated numeric claim of a text, as CLAIMS_SPEC records.

``extract_claims(text, published)`` returns the claims, ``extract_quantities`` every quantity
mention, ``extract_comparisons`` the claims that compare periods without a number;
``check_all`` runs every rule table's inline examples (``claimtrack rules-check``). Modules:
``extract`` (claims), ``comparisons``, ``context`` (the rule tables and each sentence's context),
``sentences``, ``attribution`` (source, origin, subject; ``named_sources``: the names and polls
an article gives, read over the whole document; ``quotes``: quotations), ``units``, ``metrics``, ``frame`` (the
document time frame: the times each scope sets), ``kinds`` (kind, period, change: the decision
list), ``reports`` (daily report lists), ``events`` (named historical events),
``examples`` (the inline examples).
"""

from claimtrack.transforms.claims.comparisons import extract_comparisons
from claimtrack.transforms.claims.context import ExtractorRules, load_extractor_rules
from claimtrack.transforms.claims.examples import check_all
from claimtrack.transforms.claims.extract import ExtractionLimit, extract_claims, extract_quantities

__all__ = [
    "ExtractionLimit",
    "ExtractorRules",
    "check_all",
    "extract_claims",
    "extract_comparisons",
    "extract_quantities",
    "load_extractor_rules",
]
