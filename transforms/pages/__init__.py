"""Pages: bytes of an HTML page or a text file -> main text, metadata and publication date
(``text``); and who an article is: canonical URL, text hash and the ids of articles, claims
and comparisons (``identity``). Pure: no clock, no network.
"""

from claimtrack.transforms.pages.identity import (
    Article,
    article_id,
    canonical_url,
    claim_id,
    comparison_id,
    drop_repeats,
    make_article,
)
from claimtrack.transforms.pages.text import (
    MAX_DOCUMENT_BYTES,
    PageText,
    TextError,
    html_to_text,
    plain_to_text,
    resolve_published,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Article",
    "PageText",
    "TextError",
    "article_id",
    "canonical_url",
    "claim_id",
    "comparison_id",
    "drop_repeats",
    "html_to_text",
    "make_article",
    "plain_to_text",
    "resolve_published",
]
